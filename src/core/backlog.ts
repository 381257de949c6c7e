/**
 * The port through which the outage backlog mirrors itself on durable storage, so that a
 * restart during an outage — a deploy, a crash, kill -9 — does not lose the messages whose
 * senders were told "your message is kept". src/spool/file-spool.ts implements it on the
 * data dir; without a spool (tests, the CLI) the backlog lives in memory only.
 *
 * Synchronous on purpose: the backlog changes synchronously (keep, shift), and a record must
 * be written before the sender is told "kept", in the same order as the backlog changes.
 * An asynchronous port would need its own queue to keep that order and a way to wait for
 * it before answering; the spool is written only during an outage, a few small appends to
 * a local file, so blocking the event loop for them costs nothing worth that complexity.
 */
import type { InboundMessage } from './chat';

/** A message waiting for the store to come back. */
export interface KeptMessage {
  readonly message: InboundMessage;
  /** Its inbound (de-duplication) key. */
  readonly key: string;
  /** Whether this process holds the inbound key (claimed before the outage hit, not released since). */
  claimed: boolean;
}

export interface BacklogSpool {
  /**
   * Records a kept message — or, for a key recorded already, its new `claimed` flag (a retry
   * claimed the inbound key and then met the outage again); its place in the order stays.
   */
  add(item: KeptMessage): void;
  /** Records that the message was handled: it is never resumed. */
  remove(key: string): void;
  /** What was recorded and not removed, in the order first added. Called once, at start. */
  load(): KeptMessage[];
  /** At stop: a last chance to write what a failed write left out. */
  close?(): void;
}
