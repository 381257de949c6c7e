/**
 * Checks ticket patches and ticket queries once, for both stores, so that each back end
 * only translates already-checked values into its own query language.
 */
import { PRIORITIES, type Priority, TICKET_STATUSES, type TicketStatus } from '../core/model';
import type { TicketPatch, TicketQuery } from '../core/ports';
import { invalidValue } from './errors';
import { integer, oneOf, optionalInteger, optionalText, text, ticketLimit } from './values';

export type PatchField = keyof TicketPatch;
export type PatchValue = string | number | null;

/** Every field a patch may carry, with its check; `null` is accepted only where it clears a field. */
const PATCH_CHECKS: { readonly [K in PatchField]-?: (value: unknown) => PatchValue } = {
  status: (v) => oneOf(v, TICKET_STATUSES, 'patch.status'),
  priority: (v) => oneOf(v, PRIORITIES, 'patch.priority'),
  assigneeId: (v) => optionalText(v, 'patch.assigneeId'),
  threadId: (v) => text(v, 'patch.threadId'),
  dueAt: (v) => optionalInteger(v, 'patch.dueAt'),
  firstResponseAt: (v) => integer(v, 'patch.firstResponseAt'),
  pausedAt: (v) => optionalInteger(v, 'patch.pausedAt'),
  resolvedAt: (v) => optionalInteger(v, 'patch.resolvedAt'),
  closedAt: (v) => optionalInteger(v, 'patch.closedAt'),
  nextResponseDueAt: (v) => optionalInteger(v, 'patch.nextResponseDueAt'),
  nextResponseSince: (v) => integer(v, 'patch.nextResponseSince'),
  nearestDueAt: (v) => optionalInteger(v, 'patch.nearestDueAt'),
  resolutionDueAt: (v) => optionalInteger(v, 'patch.resolutionDueAt'),
  lastCustomerAt: (v) => integer(v, 'patch.lastCustomerAt'),
  updatedAt: (v) => integer(v, 'patch.updatedAt'),
};
const PATCH_FIELDS = Object.keys(PATCH_CHECKS) as PatchField[];

/**
 * The fields present in the patch (absent or `undefined` = leave unchanged), checked, in a
 * fixed order so that equal shapes give equal statements. Unknown keys are ignored.
 */
export function checkPatch(patch: TicketPatch): Array<readonly [PatchField, PatchValue]> {
  const fields: Array<readonly [PatchField, PatchValue]> = [];
  for (const field of PATCH_FIELDS) {
    const value: unknown = patch[field];
    if (field === 'updatedAt' || value !== undefined) fields.push([field, PATCH_CHECKS[field](value)]);
  }
  return fields;
}

export interface CheckedTicketQuery {
  readonly customerId?: string;
  readonly requesterId?: string;
  readonly assigneeId?: string;
  /** Without duplicates; an empty list matches nothing. */
  readonly statuses?: readonly TicketStatus[];
  readonly dueBefore?: number;
  readonly createdSince?: number;
  readonly plan?: string;
  /** Without duplicates; an empty list matches nothing. */
  readonly priorities?: readonly Priority[];
  readonly subjectContains?: string;
  readonly order?: 'deadline';
  readonly nearestDueBefore?: number;
  readonly limit: number;
}

export function checkQuery(query: TicketQuery): CheckedTicketQuery {
  const q = query as Partial<Record<keyof TicketQuery, unknown>>;
  return {
    ...(q.customerId !== undefined && { customerId: text(q.customerId, 'query.customerId') }),
    ...(q.requesterId !== undefined && { requesterId: text(q.requesterId, 'query.requesterId') }),
    ...(q.assigneeId !== undefined && { assigneeId: text(q.assigneeId, 'query.assigneeId') }),
    ...(q.statuses !== undefined && { statuses: checkStatuses(q.statuses) }),
    ...(q.dueBefore !== undefined && { dueBefore: integer(q.dueBefore, 'query.dueBefore') }),
    ...(q.createdSince !== undefined && { createdSince: integer(q.createdSince, 'query.createdSince') }),
    ...(q.plan !== undefined && { plan: text(q.plan, 'query.plan') }),
    ...(q.priorities !== undefined && { priorities: checkPriorities(q.priorities) }),
    ...(q.subjectContains !== undefined && { subjectContains: searchText(q.subjectContains) }),
    ...((q.order !== undefined || q.nearestDueBefore !== undefined) && { order: deadlineOrder(q.order) }),
    ...(q.nearestDueBefore !== undefined && {
      nearestDueBefore: integer(q.nearestDueBefore, 'query.nearestDueBefore'),
    }),
    limit: ticketLimit(query.limit),
  };
}

function checkPriorities(priorities: unknown): Priority[] {
  if (!Array.isArray(priorities)) throw invalidValue('query.priorities', 'a list of priorities', priorities);
  return [...new Set(priorities.map((p) => oneOf(p, PRIORITIES, 'query.priorities')))];
}

/** A search text: a non-empty string of at most 200 characters (a longer one is no search box's). */
function searchText(value: unknown): string {
  const checked = text(value, 'query.subjectContains');
  if (checked.length > 200) throw invalidValue('query.subjectContains', 'at most 200 characters', value);
  return checked;
}

function checkStatuses(statuses: unknown): TicketStatus[] {
  if (!Array.isArray(statuses)) throw invalidValue('query.statuses', 'a list of statuses', statuses);
  return [...new Set(statuses.map((s) => oneOf(s, TICKET_STATUSES, 'query.statuses')))];
}

function deadlineOrder(order: unknown): 'deadline' {
  if (order === undefined || order === 'deadline') return 'deadline';
  throw invalidValue('query.order', '"deadline"', order);
}
