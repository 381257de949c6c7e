/**
 * The durable outbox on SQLite (the rules on Outbox in src/core/ports.ts). Every write runs
 * in the store's group commit under SQLite's write lock, so a claim's read of the head and
 * its lease are one step that no other process can come between.
 * Lists are read as one JSON row with get() (rows.listSql): libsql leaks on all()/iterate().
 */
import type { NewOutbound, Outbound, OutboundOutcome, OutboxQuery } from '../../core/ports';
import { invalidValue } from '../errors';
import { checkNewOutbound, checkOutboxQuery, checkOutcome, readOutbound } from '../outbox-inputs';
import { clampLimit } from '../reminder-inputs';
import { integer, text } from '../values';
import { type Db, prepare, type Statement } from './connection';
import type { LedgerAccess } from './reminders';
import { readList } from './rows';

const COLUMNS = [
  'id',
  'chat',
  'seq',
  'message',
  'after',
  'state',
  'attempts',
  'next_at',
  'owner',
  'lease_until',
  'last_error',
  'idempotency_id',
  'sent_at',
  'sent_message_id',
  'expires_at',
  'created_at',
  'updated_at',
] as const;
const LIST = `json_group_array(json_array(${COLUMNS.join(', ')}))`;
const WAITING = "state IN ('queued', 'sending')";
const HEAD = `seq = (SELECT min(h.seq) FROM outbox h WHERE h.chat = outbox.chat AND h.${WAITING})`;

const SQL = {
  insert: `INSERT INTO outbox (id, chat, seq, message, after, state, attempts, next_at, idempotency_id,
      expires_at, created_at, updated_at)
    VALUES (:id, :chat, (SELECT coalesce(max(seq), 0) + 1 FROM outbox WHERE chat = :chat), :message, :after,
      'queued', 0, :now, :idempotency_id, :expires_at, :now, :now)
    RETURNING ${COLUMNS.join(', ')}`,
  due: `SELECT ${LIST} FROM (SELECT * FROM outbox INDEXED BY outbox_due
    WHERE ${WAITING} AND next_at <= :now AND ${HEAD} ORDER BY next_at, chat LIMIT :limit)`,
  claim: `UPDATE outbox SET state = 'sending', owner = :owner, lease_until = :lease, next_at = :lease,
      updated_at = :now
    WHERE id = :id AND ${WAITING} AND next_at = :seen AND next_at <= :now AND ${HEAD}
    RETURNING ${COLUMNS.join(', ')}`,
  settle: `UPDATE outbox SET state = :state, attempts = attempts + :failed, next_at = coalesce(:next_at, next_at),
      owner = NULL, lease_until = NULL, last_error = coalesce(:error, last_error),
      sent_at = CASE WHEN :state = 'sent' THEN :at ELSE sent_at END,
      sent_message_id = coalesce(:message_id, sent_message_id), updated_at = :at
    WHERE id = :id AND state = 'sending' AND owner = :owner`,
  get: `SELECT ${LIST} FROM (SELECT * FROM outbox WHERE id = :id)`,
  head: `SELECT ${LIST} FROM (SELECT * FROM outbox INDEXED BY outbox_heads
    WHERE chat = :chat AND ${WAITING} ORDER BY seq LIMIT 1)`,
  list: `SELECT ${LIST} FROM (SELECT * FROM outbox
    WHERE state IN (SELECT value FROM json_each(:states)) AND (:chat IS NULL OR chat = :chat)
    ORDER BY chat, seq LIMIT :limit)`,
  listNewest: `SELECT ${LIST} FROM (SELECT * FROM outbox
    WHERE state IN (SELECT value FROM json_each(:states)) AND (:chat IS NULL OR chat = :chat)
    ORDER BY chat DESC, seq DESC LIMIT :limit)`,
  retry: `UPDATE outbox SET state = 'queued', attempts = 0, next_at = :now, owner = NULL, lease_until = NULL,
      updated_at = :now
    WHERE id = :id AND state IN ('queued', 'sending', 'failed')`,
  drop: `UPDATE outbox SET state = 'dropped', owner = NULL, lease_until = NULL, updated_at = :now
    WHERE id = :id AND state IN ('queued', 'sending', 'failed')`,
  purge: `DELETE FROM outbox WHERE state IN ('sent', 'failed', 'dropped') AND updated_at < :before`,
  depth: `SELECT count(*), min(created_at) FROM outbox INDEXED BY outbox_due WHERE ${WAITING}`,
} as const;

export class SqliteOutbox {
  private readonly sql: { readonly [K in keyof typeof SQL]: Statement };

  constructor(
    db: Db,
    private readonly access: LedgerAccess,
  ) {
    this.sql = Object.fromEntries(
      Object.entries(SQL).map(([name, sql]) => [name, prepare(db, sql)]),
    ) as never;
  }

  async enqueue(entries: readonly NewOutbound[], now: number): Promise<Outbound[]> {
    const rows = checkNewOutbound(entries, now);
    if (rows.length === 0) return Promise.resolve([]);
    return this.access.write(
      () =>
        rows.map((r) =>
          fromValues(
            this.sql.insert.get({
              id: r.id,
              chat: r.chat,
              message: r.message,
              after: r.after,
              idempotency_id: r.idempotencyId,
              expires_at: r.expiresAt,
              now: r.createdAt,
            }),
          ),
        ),
      true,
    );
  }

  async due(now: number, limit: number): Promise<Outbound[]> {
    const params = { now: integer(now, 'now'), limit: clampLimit(limit) };
    return this.access.read(() => readList(this.sql.due.get(params), fromValues));
  }

  async claim(row: Outbound, owner: string, leaseUntil: number, now: number): Promise<Outbound | undefined> {
    const params = {
      id: text(row?.id, 'outbound.id'),
      seen: integer(row.nextAt, 'outbound.nextAt'),
      owner: text(owner, 'owner'),
      lease: integer(leaseUntil, 'leaseUntil'),
      now: integer(now, 'now'),
    };
    if (params.lease <= params.now) throw invalidValue('leaseUntil', 'a time after now', leaseUntil);
    return this.access.write(() => {
      const claimed = this.sql.claim.get(params);
      return claimed === undefined ? undefined : fromValues(claimed);
    });
  }

  async settle(id: string, owner: string, outcome: OutboundOutcome): Promise<boolean> {
    const o = checkOutcome(outcome);
    const params = {
      id: text(id, 'outbound.id'),
      owner: text(owner, 'owner'),
      state: o.state,
      failed: o.state === 'queued' ? 1 : 0,
      next_at: o.nextAt,
      error: o.error,
      at: o.at,
      message_id: o.messageId,
    };
    return this.access.write(() => this.sql.settle.run(params).changes === 1);
  }

  async get(id: string): Promise<Outbound | undefined> {
    const params = { id: text(id, 'outbound.id') };
    return this.access.read(() => readList(this.sql.get.get(params), fromValues)[0]);
  }

  async head(chat: string): Promise<Outbound | undefined> {
    const params = { chat: text(chat, 'chat') };
    return this.access.read(() => readList(this.sql.head.get(params), fromValues)[0]);
  }

  async list(query: OutboxQuery): Promise<Outbound[]> {
    const q = checkOutboxQuery(query);
    const params = { states: JSON.stringify(q.states), chat: q.chat, limit: q.limit };
    const sql = q.newestFirst ? this.sql.listNewest : this.sql.list;
    return this.access.read(() => readList(sql.get(params), fromValues));
  }

  async retry(id: string, now: number): Promise<boolean> {
    const params = { id: text(id, 'outbound.id'), now: integer(now, 'now') };
    return this.access.write(() => this.sql.retry.run(params).changes === 1);
  }

  async drop(id: string, now: number): Promise<boolean> {
    const params = { id: text(id, 'outbound.id'), now: integer(now, 'now') };
    return this.access.write(() => this.sql.drop.run(params).changes === 1);
  }

  async purge(before: number): Promise<number> {
    const params = { before: integer(before, 'before') };
    return this.access.write(() => this.sql.purge.run(params).changes);
  }

  async depth(): Promise<{ waiting: number; oldestAt?: number }> {
    return this.access.read(() => {
      const [waiting, oldest] = this.sql.depth.get() as [number, number | null];
      return oldest === null ? { waiting } : { waiting, oldestAt: oldest };
    });
  }
}

function fromValues(values: unknown): Outbound {
  const v = values as unknown[];
  const at = (i: number) => v[i] as never;
  return readOutbound({
    id: at(0),
    chat: at(1),
    seq: at(2),
    message: at(3),
    after: at(4),
    state: at(5),
    attempts: at(6),
    nextAt: at(7),
    owner: at(8),
    leaseUntil: at(9),
    lastError: at(10),
    idempotencyId: at(11),
    sentAt: at(12),
    sentMessageId: at(13),
    expiresAt: at(14),
    createdAt: at(15),
    updatedAt: at(16),
  });
}
