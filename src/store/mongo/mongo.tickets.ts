/**
 * Ticket patches and queries in MongoDB terms, from values already checked by
 * ../ticket-inputs.ts. Every operator here is built by the store, never taken from input.
 */
import type { PipelineStage } from 'mongoose';
import type { CheckedTicketQuery, PatchField, PatchValue } from '../ticket-inputs';

/** `null` clears a field ($unset), a value sets it, and the version always moves on. */
export function ticketUpdate(fields: ReadonlyArray<readonly [PatchField, PatchValue]>): {
  $set: Record<string, string | number>;
  $unset?: Record<string, ''>;
  $inc: { version: number };
} {
  const $set: Record<string, string | number> = {};
  const $unset: Record<string, ''> = {};
  for (const [field, value] of fields) {
    if (value === null) $unset[field] = '';
    else $set[field] = value;
  }
  return { $set, ...(Object.keys($unset).length > 0 && { $unset }), $inc: { version: 1 } };
}

/**
 * The queue order: priority (`p1` < `p2` < `p3` as strings), deadline with tickets that
 * have none last (MongoDB sorts a missing field first, hence the computed key), number.
 */
export function ticketPipeline(query: CheckedTicketQuery): PipelineStage[] {
  if (query.order === 'deadline') return byNearest(query);
  return [
    { $match: matchOf(query) },
    { $addFields: { noDeadline: { $cond: [{ $eq: [{ $type: '$dueAt' }, 'missing'] }, 1, 0] } } },
    { $sort: { priority: 1, noDeadline: 1, dueAt: 1, _id: 1 } },
    { $limit: query.limit },
    { $project: { noDeadline: 0 } },
  ];
}

/**
 * The same order without `$cond` (servers that lack it, see mongo.features.ts; the
 * deadline order needs none, ticketPipeline serves it everywhere): the
 * tickets with a deadline and those without, each sorted and limited, merged by mergeQueue.
 */
export function queuePipelines(query: CheckedTicketQuery): PipelineStage[][] {
  const match = matchOf(query);
  const dated: PipelineStage[] = [
    { $match: { ...match, dueAt: { ...(match.dueAt as object | undefined), $exists: true } } },
    { $sort: { priority: 1, dueAt: 1, _id: 1 } },
    { $limit: query.limit },
  ];
  if (query.dueBefore !== undefined) return [dated]; // a deadline is asked for
  const undated: PipelineStage[] = [
    { $match: { ...match, dueAt: { $exists: false } } },
    { $sort: { priority: 1, _id: 1 } },
    { $limit: query.limit },
  ];
  return [dated, undated];
}

/** Merges the parts of queuePipelines in the queue order and keeps the first `limit`. */
export function mergeQueue<T extends { _id: number; priority: string; dueAt?: number }>(
  parts: readonly T[][],
  limit: number,
): T[] {
  const key = (t: T) => [t.priority, t.dueAt === undefined ? 1 : 0, t.dueAt ?? 0, t._id] as const;
  return parts
    .flat()
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    })
    .slice(0, limit);
}

/**
 * The queue by its key (tickets_queue, or tickets_nearest_due for past deadlines): every
 * ticket in the queue has one, so no computed "none last" key is needed.
 */
function byNearest(query: CheckedTicketQuery): PipelineStage[] {
  return [
    { $match: matchOf(query) },
    { $sort: { priority: 1, nearestDueAt: 1, _id: 1 } },
    { $limit: query.limit },
  ];
}

function matchOf(query: CheckedTicketQuery): Record<string, unknown> {
  // Aggregation stages are neither cast nor sanitised by mongoose: every value below was
  // checked by checkQuery (strings, integers, statuses) and every operator is ours.
  const match: Record<string, unknown> = {};
  if (query.customerId !== undefined) match.customerId = query.customerId;
  if (query.requesterId !== undefined) match.requesterId = query.requesterId;
  if (query.assigneeId !== undefined) match.assigneeId = query.assigneeId;
  if (query.statuses !== undefined) match.status = { $in: [...query.statuses] };
  if (query.dueBefore !== undefined) {
    // `null` matches the absent field; written to use tickets_awaiting_response.
    match.firstResponseAt = null;
    match.dueAt = { $lt: query.dueBefore };
  }
  if (query.createdSince !== undefined) match.createdAt = { $gte: query.createdSince };
  if (query.plan !== undefined) match.plan = query.plan;
  if (query.priorities !== undefined) match.priority = { $in: [...query.priorities] };
  if (query.order === 'deadline') {
    match.nearestDueAt = {
      $exists: true,
      ...(query.nearestDueBefore !== undefined && { $lt: query.nearestDueBefore }),
    };
  }
  if (query.subjectContains !== undefined) {
    // Every regex metacharacter escaped: the text is matched literally, like SQLite's LIKE.
    match.subject = { $regex: query.subjectContains.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
  }
  return match;
}
