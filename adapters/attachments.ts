/**
 * Attachments (screenshots, logs, videos) in the text the desk receives. An InboundMessage
 * carries text only, so, as Discord's attachment URLs do, each attachment becomes one line
 * at the end of the text: a bracketed kind tag, then the file name and a link (or, where
 * the platform gives no link, its key for the file) where the platform gives them cheaply,
 * e.g. `[image] https://…`, `[file] report.log https://…` or `[image] img_v2_…`.
 * The tags are the only words, the same on every platform and not translated: staff read
 * them in any language, and they must not depend on who reads the ticket.
 *
 * Names and URLs are customer input. They are made single-line and short here; escaping
 * them for a platform's markup stays the job of each adapter's outbound rendering, as for
 * any other customer text.
 */
import { truncateUnits } from '../src/core/graphemes';

/** The kind tags, shared by every adapter so that one kind reads the same everywhere. */
export const TAG = {
  image: '[image]',
  file: '[file]',
  video: '[video]',
  voice: '[voice]',
  sticker: '[sticker]',
  face: '[face]',
  link: '[link]',
  card: '[card]',
  contact: '[contact]',
  location: '[location]',
  music: '[music]',
  forward: '[forwarded messages]',
} as const;

export type AttachmentTag = (typeof TAG)[keyof typeof TAG];

/** Attachments listed per message; more become one `… +N` line (a paste of 50 screenshots is not 50 lines). */
export const MAX_LISTED = 10;
/** A longer file name is cut: the link still leads to the file. */
export const MAX_NAME = 100;
/** A longer URL is left out: no real media link is this long, a payload stuffed into one is. */
export const MAX_URL = 2048;

/** A longer resource key is left out: real ones (Feishu's, DingTalk's download codes) are far shorter. */
export const MAX_KEY = 512;

/**
 * One attachment line: the tag, then the name, the platform's key for the file and the URL
 * when there are. A key is what fetches the file where the platform gives no link (Feishu's
 * `file_key`, DingTalk's `downloadCode`): it goes through `attachmentKey` first.
 */
export function attachmentLine(
  tag: AttachmentTag,
  parts: {
    readonly name?: string | undefined;
    readonly key?: string | undefined;
    readonly url?: string | undefined;
  } = {},
): string {
  return [tag, parts.name, parts.key, parts.url].filter((p) => p !== undefined && p !== '').join(' ');
}

/**
 * A platform's resource key as it may stand on an attachment line, or undefined: one word
 * of letters, digits and `_-+/=.:` (what Feishu's keys and DingTalk's base64 download codes
 * are made of), at most MAX_KEY long. Anything else is no key of theirs: it is left out.
 */
export function attachmentKey(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const key = raw.trim();
  return key.length > 0 && key.length <= MAX_KEY && /^[A-Za-z0-9_\-+/=.:]+$/.test(key) ? key : undefined;
}

/**
 * The text followed by one line per attachment (at most MAX_LISTED, then `… +N`).
 * Either may be empty: a file sent alone is its lines, a plain message its text.
 */
export function withAttachments(text: string, lines: readonly string[], max = MAX_LISTED): string {
  const listed = lines.length > max ? [...lines.slice(0, max), `… +${lines.length - max}`] : lines;
  return [text, ...listed].filter((l) => l.length > 0).join('\n');
}

/**
 * An http(s) URL, normalised by the WHATWG parser (which also removes line breaks and
 * percent-encodes spaces and `<>"`), or undefined for anything else: `file://`,
 * `base64://`, local paths, relative or oversized values.
 */
export function httpUrl(raw: string | null | undefined): string | undefined {
  const value = raw?.trim();
  if (!value || value.length > MAX_URL || !/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.length > MAX_URL ? undefined : url.href;
  } catch {
    return undefined;
  }
}

/**
 * A file name made safe to put on one line: control characters and line breaks become
 * spaces, runs of white space one space, and a name longer than MAX_NAME is cut (between
 * grapheme clusters) and ends with `…`. Undefined when nothing is left.
 */
export function attachmentName(raw: string | null | undefined, max = MAX_NAME): string | undefined {
  if (!raw) return undefined;
  // \p{Cc} control characters, \p{Zl}/\p{Zp} line and paragraph separators, \s the rest.
  const flat = raw.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  if (flat.length === 0) return undefined;
  return truncateUnits(flat, max);
}
