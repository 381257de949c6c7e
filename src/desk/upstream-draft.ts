/**
 * The upstream issue an engineer opens from a ticket (`/issue #N draft` shows it): by default
 * it carries nothing confidential. Upstream trackers are public; the ticket belongs to one
 * customer. So the customer's name and id, the group's title, e-mail addresses, code blocks
 * and log-like lines (stack frames, timestamps, tracebacks) are left out; what remains is the
 * question's wording, which the engineer reviews before creating the issue.
 */
import type { NewIssue, RepoName } from '../core/tracker';

const TITLE_CHARS = 120;
const BODY_CHARS = 4000;
const LOG_LINE =
  /^\s*(at\s|\[?\d{4}-\d\d-\d\d|\[?\d\d:\d\d:\d\d|Traceback|File "|Caused by|Exception|\w+(Error|Exception):|(ERROR|WARN|INFO|DEBUG)\b)/;

export interface DraftSource {
  readonly subject: string;
  /** The customer's first message on the ticket. */
  readonly firstMessage: string;
  /** Words never copied upstream: the customer's name and id, the group's title. */
  readonly confidential: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with confidential words, e-mail addresses, code blocks and log lines removed. */
export function scrubForUpstream(text: string, confidential: readonly string[]): string {
  let out = text
    .replace(/```[\s\S]*?(```|$)/g, '')
    .replace(/[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[A-Za-z]{2,}/g, '[email]');
  // Longest first: "ACME Corp" goes whole before the id "acme" could leave "[customer] Corp".
  for (const word of [...confidential].sort((a, b) => b.length - a.length)) {
    if (word.trim().length < 2) continue;
    out = out.replace(new RegExp(escapeRegExp(word.trim()), 'giu'), '[customer]');
  }
  return out
    .split('\n')
    .filter((line) => !LOG_LINE.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The issue to open in `repo`; `footer` is the localised note that it came from support. */
export function issueDraft(repo: RepoName, source: DraftSource, footer: string): NewIssue {
  const firstLine = scrubForUpstream(source.subject, source.confidential).split('\n')[0] ?? '';
  const title = [...firstLine].slice(0, TITLE_CHARS).join('').trim() || footer;
  const text = [...scrubForUpstream(source.firstMessage, source.confidential)].slice(0, BODY_CHARS).join('');
  return { repo, title, body: text ? `${text}\n\n---\n${footer}` : footer };
}
