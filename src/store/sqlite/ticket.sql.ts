/**
 * SQL whose shape depends on the call: ticket queries (which filters are present) and ticket
 * updates (which fields the patch carries). Each shape is built and prepared once, then
 * reused from the cache. Only fixed column names and placeholders go into the SQL text;
 * every value is bound.
 */
import { PRIORITIES } from '../../core/model';
import type { CheckedTicketQuery, PatchField, PatchValue } from '../ticket-inputs';
import type { Statement, StatementCache } from './connection';
import type { Params } from './params';
import { listSql, selectList, TICKET_COLUMNS } from './rows';

const TICKET = selectList(TICKET_COLUMNS);

const PATCH_COLUMNS: { readonly [K in PatchField]: string } = {
  status: 'status',
  priority: 'priority',
  assigneeId: 'assignee_id',
  threadId: 'thread_id',
  dueAt: 'due_at',
  firstResponseAt: 'first_response_at',
  pausedAt: 'paused_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  nextResponseDueAt: 'next_response_due_at',
  nextResponseSince: 'next_response_since',
  nearestDueAt: 'nearest_due_at',
  resolutionDueAt: 'resolution_due_at',
  lastCustomerAt: 'last_customer_at',
  updatedAt: 'updated_at',
};

export interface Bound {
  readonly statement: Statement;
  readonly params: Params;
}

/**
 * Compare-and-set: the row changes only if it is still at `expectedVersion`, and RETURNING
 * hands back the new row, so a lost race is simply "no row".
 */
export function ticketUpdate(
  cache: StatementCache,
  number: number,
  expectedVersion: number,
  fields: ReadonlyArray<readonly [PatchField, PatchValue]>,
): Bound {
  const names = fields.map(([field]) => field);
  const statement = cache.get(`update:${names.join(',')}`, () => updateSql(names));
  const params: Params = { number, expected_version: expectedVersion };
  for (const [field, value] of fields) params[field] = value;
  return { statement, params };
}

export function updateSql(fields: readonly PatchField[]): string {
  const sets = fields.map((field) => `${PATCH_COLUMNS[field]} = :${field}`);
  return (
    `UPDATE tickets SET ${[...sets, 'version = version + 1'].join(', ')} ` +
    `WHERE number = :number AND version = :expected_version RETURNING ${TICKET}`
  );
}

/**
 * Filters become equality/range terms the indexes listed in migrations.ts can serve. The
 * order is the queue's: priority (`p1` < `p2` < `p3` as text), then the deadline with
 * tickets that have none last, then the number.
 */
export function ticketSelect(cache: StatementCache, query: CheckedTicketQuery): Bound {
  const { clause, params } = ticketWhere(query);
  // The WHERE text holds only fixed terms and placeholders, so it is the shape's key.
  const order = orderOf(query);
  return { statement: cache.get(`select:${order}:${clause}`, () => selectSql(clause, order)), params };
}

export function ticketWhere(query: CheckedTicketQuery): { clause: string; params: Params } {
  const where: string[] = [];
  const params: Params = { limit: query.limit };
  const equal = {
    customer_id: query.customerId,
    requester_id: query.requesterId,
    assignee_id: query.assigneeId,
    plan: query.plan,
  };
  for (const [column, value] of Object.entries(equal)) {
    if (value === undefined) continue;
    where.push(`${column} = :${column}`);
    params[column] = value;
  }
  if (query.statuses !== undefined) where.push(inList(params, 'status', query.statuses));
  if (query.dueBefore !== undefined) {
    // Written to match the partial index tickets_awaiting_response.
    where.push('first_response_at IS NULL AND due_at < :due_before');
    params.due_before = query.dueBefore;
  }
  if (query.createdSince !== undefined) {
    where.push('created_at >= :created_since');
    params.created_since = query.createdSince;
  }
  if (query.priorities !== undefined) where.push(inList(params, 'priority', query.priorities));
  // Written to match the partial indexes tickets_queue and tickets_nearest_due (v9).
  if (query.nearestDueBefore !== undefined) {
    where.push('nearest_due_at < :nearest_before');
    params.nearest_before = query.nearestDueBefore;
  } else if (query.order === 'deadline') {
    // Every priority, named: the queue is then read priority by priority from tickets_queue
    // (a SEARCH that stops at the limit), not walked from its start.
    if (query.priorities === undefined) where.push(inList(params, 'priority', PRIORITIES));
    where.push('nearest_due_at IS NOT NULL');
  }
  if (query.subjectContains !== undefined) {
    // A scan bounded by the limit; full-text search replaces it (another branch adds FTS).
    where.push("subject LIKE :subject_like ESCAPE '\\'");
    params.subject_like = `%${query.subjectContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return { clause: where.length === 0 ? '' : `WHERE ${where.join(' AND ')} `, params };
}

/** `column IN (:column0, …)` with each value bound; an empty list matches nothing (`IN ()` is valid SQLite). */
function inList(params: Params, column: 'status' | 'priority', values: readonly string[]): string {
  values.forEach((value, i) => {
    params[`${column}${i}`] = value;
  });
  return `${column} IN (${values.map((_, i) => `:${column}${i}`).join(', ')})`;
}

/**
 * The queue's order walks tickets_queue; past deadlines read the range of
 * tickets_nearest_due and sort what they found (`+priority` keeps the planner from walking
 * the whole queue instead), so either costs what it returns.
 */
function orderOf(query: CheckedTicketQuery): string {
  if (query.nearestDueBefore !== undefined) return '+priority, nearest_due_at, number';
  if (query.order === 'deadline') return 'priority, nearest_due_at, number';
  return 'priority, due_at IS NULL, due_at, number';
}

export function selectSql(clause: string, order = 'priority, due_at IS NULL, due_at, number'): string {
  return listSql(TICKET_COLUMNS, `tickets ${clause}`, order, ':limit');
}
