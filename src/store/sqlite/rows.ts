/**
 * SQLite rows (snake_case, NULL for absent) → the domain records of src/core/model.ts
 * (camelCase, optional fields absent rather than null or undefined).
 *
 * Statements that return rows run in libsql's raw mode (arrays, not objects): building a
 * keyed object costs libsql about half a microsecond per column, which made reading one
 * ticket three times dearer than the lookup itself. So every SELECT names its columns in
 * the order listed here, and `read*` turns the array back into a record.
 */
import { isLocale, type Locale } from '../../core/i18n';
import type { Customer, Group, Identity, Person, Subscription, Ticket, TicketEvent } from '../../core/model';
import type { MessageLink } from '../../core/ports';

/** `{ key: value }` when the column holds a value, `{}` when it is NULL. */
/**
 * A locale column read back: writes are checked, but a file edited by hand could hold any
 * text, and an unknown locale would reach the translator; it reads as "inherit" instead.
 */
const knownLocale = (value: string | null): Locale | null =>
  value !== null && isLocale(value) ? value : null;

function present<K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> {
  return (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
}

/** The columns of R in SELECT order; does not compile if one is missing. */
function columnsOf<R>() {
  return <const C extends ReadonlyArray<keyof R & string>>(
    columns: C & ([Exclude<keyof R, C[number]>] extends [never] ? unknown : never),
  ): C => columns;
}

/** The column list for a SELECT or RETURNING, optionally qualified by table. */
export function selectList(columns: readonly string[], table?: string): string {
  return columns.map((column) => (table === undefined ? column : `${table}.${column}`)).join(', ');
}

/**
 * A multi-row SELECT folded into a single row that holds a JSON array of row arrays, read
 * with one get(). libsql 0.5 leaks about 1 KB of native memory on every all()/iterate()
 * call (tursodatabase/libsql-js#153): on the per-message path that was 100 MB per 100,000
 * messages, where get() leaks nothing. `from` is the table and its WHERE clause; the
 * ORDER BY is applied inside (for LIMIT) and again to the aggregate (which does not keep
 * the subquery's order by itself).
 */
export function listSql(columns: readonly string[], from: string, orderBy: string, limit = ''): string {
  return (
    `SELECT json_group_array(json_array(${columns.join(', ')}) ORDER BY ${orderBy}) ` +
    `FROM (SELECT * FROM ${from} ORDER BY ${orderBy}${limit === '' ? '' : ` LIMIT ${limit}`})`
  );
}

/** The records of a listSql row (raw mode: `[json]`). */
export function readList<T>(row: unknown, read: (values: unknown) => T): T[] {
  const [json] = row as [string];
  return (JSON.parse(json) as unknown[]).map(read);
}

function zip<R>(columns: readonly string[], values: unknown): R {
  const row: Record<string, unknown> = {};
  const array = values as unknown[];
  for (let i = 0; i < columns.length; i += 1) row[columns[i] as string] = array[i];
  return row as R;
}

// Row shapes. Enum columns are typed as the domain's unions
// because only values checked by ../values.ts are ever written to them.
export interface CustomerRow {
  id: string;
  name: string;
  created_at: number;
}
export interface SubscriptionRow {
  id: string;
  customer_id: string;
  plan: string;
  starts_at: number;
  ends_at: number;
  grace_days: number;
  training_used: number;
  created_at: number;
}
export interface PersonRow {
  id: string;
  name: string;
  role: Person['role'];
  customer_id: string | null;
  created_at: number;
  locale: Locale | null;
}
export interface IdentityRow {
  platform: Identity['platform'];
  user_id: string;
  person_id: string;
}
export interface GroupRow {
  platform: Group['platform'];
  chat_id: string;
  kind: Group['kind'];
  customer_id: string | null;
  title: string | null;
  auto_mode: number;
  bound_at: number;
  locale: Locale | null;
}
export interface TicketRow {
  number: number;
  customer_id: string;
  requester_id: string;
  platform: Ticket['platform'];
  chat_id: string;
  thread_id: string | null;
  source_key: string;
  category: Ticket['category'];
  priority: Ticket['priority'];
  status: Ticket['status'];
  subject: string;
  assignee_id: string | null;
  plan: string;
  created_at: number;
  updated_at: number;
  last_customer_at: number;
  due_at: number | null;
  first_response_at: number | null;
  paused_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  version: number;
  next_response_due_at: number | null;
  resolution_due_at: number | null;
  next_response_since: number | null;
  nearest_due_at: number | null;
}
export interface EventRow {
  ticket_number: number;
  at: number;
  kind: TicketEvent['kind'];
  actor_id: string;
  text: string | null;
  from_value: string | null;
  to_value: string | null;
}
export interface MessageLinkRow {
  platform: MessageLink['platform'];
  chat_id: string;
  message_id: string;
  ticket_number: number;
}

export const CUSTOMER_COLUMNS = columnsOf<CustomerRow>()(['id', 'name', 'created_at']);
export const SUBSCRIPTION_COLUMNS = columnsOf<SubscriptionRow>()([
  'id',
  'customer_id',
  'plan',
  'starts_at',
  'ends_at',
  'grace_days',
  'training_used',
  'created_at',
]);
export const PERSON_COLUMNS = columnsOf<PersonRow>()([
  'id',
  'name',
  'role',
  'customer_id',
  'created_at',
  'locale',
]);
export const IDENTITY_COLUMNS = columnsOf<IdentityRow>()(['platform', 'user_id', 'person_id']);
export const GROUP_COLUMNS = columnsOf<GroupRow>()([
  'platform',
  'chat_id',
  'kind',
  'customer_id',
  'title',
  'auto_mode',
  'bound_at',
  'locale',
]);
export const TICKET_COLUMNS = columnsOf<TicketRow>()([
  'number',
  'customer_id',
  'requester_id',
  'platform',
  'chat_id',
  'thread_id',
  'source_key',
  'category',
  'priority',
  'status',
  'subject',
  'assignee_id',
  'plan',
  'created_at',
  'updated_at',
  'last_customer_at',
  'due_at',
  'first_response_at',
  'paused_at',
  'resolved_at',
  'closed_at',
  'version',
  'next_response_due_at',
  'resolution_due_at',
  'next_response_since',
  'nearest_due_at',
]);
export const EVENT_COLUMNS = columnsOf<EventRow>()([
  'ticket_number',
  'at',
  'kind',
  'actor_id',
  'text',
  'from_value',
  'to_value',
]);
export const MESSAGE_LINK_COLUMNS = columnsOf<MessageLinkRow>()([
  'platform',
  'chat_id',
  'message_id',
  'ticket_number',
]);

export const readCustomer = (values: unknown): Customer => toCustomer(zip(CUSTOMER_COLUMNS, values));
export const readSubscription = (values: unknown): Subscription =>
  toSubscription(zip(SUBSCRIPTION_COLUMNS, values));
export const readPerson = (values: unknown): Person => toPerson(zip(PERSON_COLUMNS, values));
export const readIdentity = (values: unknown): Identity => toIdentity(zip(IDENTITY_COLUMNS, values));
export const readGroup = (values: unknown): Group => toGroup(zip(GROUP_COLUMNS, values));
/**
 * A ticket from its TICKET_COLUMNS values, by position: tickets are read a thousand at a
 * time by the SLA tick, and an object built key by key (zip) is several times slower to
 * build and to read than this fixed-shape literal. The contract suite's round trips of
 * every field catch a list out of step with TICKET_COLUMNS.
 */
export function readTicket(values: unknown): Ticket {
  const v = values as TicketValues;
  return toTicket({
    number: v[0],
    customer_id: v[1],
    requester_id: v[2],
    platform: v[3],
    chat_id: v[4],
    thread_id: v[5],
    source_key: v[6],
    category: v[7],
    priority: v[8],
    status: v[9],
    subject: v[10],
    assignee_id: v[11],
    plan: v[12],
    created_at: v[13],
    updated_at: v[14],
    last_customer_at: v[15],
    due_at: v[16],
    first_response_at: v[17],
    paused_at: v[18],
    resolved_at: v[19],
    closed_at: v[20],
    version: v[21],
    next_response_due_at: v[22],
    resolution_due_at: v[23],
    next_response_since: v[24],
    nearest_due_at: v[25],
  });
}

/** A ticket row's values in TICKET_COLUMNS order. */
type TicketValues = readonly [
  number,
  string,
  string,
  TicketRow['platform'],
  string,
  string | null,
  string,
  TicketRow['category'],
  TicketRow['priority'],
  TicketRow['status'],
  string,
  string | null,
  string,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
];
export const readEvent = (values: unknown): TicketEvent => toEvent(zip(EVENT_COLUMNS, values));
export const readMessageLink = (values: unknown): MessageLink =>
  toMessageLink(zip(MESSAGE_LINK_COLUMNS, values));

export const toCustomer = (r: CustomerRow): Customer => ({ id: r.id, name: r.name, createdAt: r.created_at });

export const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: r.id,
  customerId: r.customer_id,
  plan: r.plan,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  graceDays: r.grace_days,
  trainingUsed: r.training_used,
  createdAt: r.created_at,
});

export const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  name: r.name,
  role: r.role,
  ...present('customerId', r.customer_id),
  ...present('locale', knownLocale(r.locale)),
  createdAt: r.created_at,
});

export const toIdentity = (r: IdentityRow): Identity => ({
  platform: r.platform,
  userId: r.user_id,
  personId: r.person_id,
});

export const toGroup = (r: GroupRow): Group => ({
  platform: r.platform,
  chatId: r.chat_id,
  kind: r.kind,
  ...present('customerId', r.customer_id),
  ...present('title', r.title),
  ...present('locale', knownLocale(r.locale)),
  autoMode: r.auto_mode === 1,
  boundAt: r.bound_at,
});

export const toTicket = (r: TicketRow): Ticket => ({
  number: r.number,
  customerId: r.customer_id,
  requesterId: r.requester_id,
  platform: r.platform,
  chatId: r.chat_id,
  ...present('threadId', r.thread_id),
  sourceKey: r.source_key,
  category: r.category,
  priority: r.priority,
  status: r.status,
  subject: r.subject,
  ...present('assigneeId', r.assignee_id),
  plan: r.plan,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastCustomerAt: r.last_customer_at,
  ...present('dueAt', r.due_at),
  ...present('firstResponseAt', r.first_response_at),
  ...present('pausedAt', r.paused_at),
  ...present('resolvedAt', r.resolved_at),
  ...present('closedAt', r.closed_at),
  ...present('nextResponseDueAt', r.next_response_due_at),
  ...present('resolutionDueAt', r.resolution_due_at),
  ...present('nextResponseSince', r.next_response_since),
  ...present('nearestDueAt', r.nearest_due_at),
  version: r.version,
});

export const toEvent = (r: EventRow): TicketEvent => ({
  ticketNumber: r.ticket_number,
  at: r.at,
  kind: r.kind,
  actorId: r.actor_id,
  ...present('text', r.text),
  ...present('from', r.from_value),
  ...present('to', r.to_value),
});

export const toMessageLink = (r: MessageLinkRow): MessageLink => ({
  platform: r.platform,
  chatId: r.chat_id,
  messageId: r.message_id,
  ticketNumber: r.ticket_number,
});
