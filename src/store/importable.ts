/**
 * What `groupdesk migrate` needs of a destination besides the Store port. Both stores
 * implement it; it is not part of the port because the bot itself never imports.
 */
import type { ExportRecord } from '../core/ports';

/** Every kind exportAll yields, in its order (parents before the records that refer to them). */
export const EXPORT_KINDS = [
  'customer',
  'subscription',
  'person',
  'identity',
  'group',
  'ticket',
  'event',
  'message_link',
  'macro',
] as const satisfies ReadonlyArray<ExportRecord['kind']>;

export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface Importable {
  /** True when the store holds no record of any exported kind. */
  isEmpty(): Promise<boolean>;
  /**
   * Deletes every record of the exported kinds (`migrate --force`). The ticket counter
   * stays where it is, so that a number once handed out is never handed out again.
   */
  clearAll(): Promise<void>;
  /**
   * Writes records as exportAll yields them (parents first, each ticket's events in
   * order), keeping ticket numbers and versions, and moves the ticket counter past the
   * highest number imported. Every value is checked as for any other write.
   */
  importRecords(records: readonly ExportRecord[]): Promise<void>;
}
