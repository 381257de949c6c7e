/**
 * OneBot v11 message content: reading both wire formats (segment arrays and CQ-code
 * strings) and building outgoing messages. Outgoing messages are always segment arrays:
 * a text segment's content is never interpreted by the OneBot client, so whatever a
 * customer wrote (even `[CQ:at,qq=all]`) stays plain text when the bot repeats it.
 * See https://github.com/botuniverse/onebot-11/blob/master/message/README.md
 */

/** One message segment with its data normalised to strings. */
export interface Segment {
  readonly type: string;
  readonly data: Readonly<Record<string, string>>;
}

/** One outgoing segment, exactly as it goes on the wire. */
export type OutgoingSegment =
  | { readonly type: 'text'; readonly data: { readonly text: string } }
  | { readonly type: 'at'; readonly data: { readonly qq: string } }
  | { readonly type: 'reply'; readonly data: { readonly id: string } };

const CQ_ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&#91;': '[',
  '&#93;': ']',
  '&#44;': ',',
};

/**
 * Undoes CQ escaping in one pass, so `&amp;#91;` becomes the literal `&#91;` and not `[`.
 * `&#44;` is only escaped inside CQ parameters, but decoding it in plain text is harmless
 * because a client never produces it there from a literal comma.
 */
export function unescapeCq(text: string): string {
  return text.replace(/&(?:amp|#91|#93|#44);/g, (entity) => CQ_ENTITIES[entity] ?? entity);
}

/** Matches one CQ code: `[CQ:type]` or `[CQ:type,key=value,...]`; `]` never occurs unescaped inside. */
const CQ_CODE = /\[CQ:([A-Za-z0-9_.-]+)((?:,[^\]]*)?)\]/g;

/** Parses a CQ-code string (the `string` post format) into segments. */
export function parseCqString(message: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of message.matchAll(CQ_CODE)) {
    const at = match.index;
    if (at > last) segments.push(text(unescapeCq(message.slice(last, at))));
    const data: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',').slice(1)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue; // a flag without value carries nothing we use
      data[pair.slice(0, eq)] = unescapeCq(pair.slice(eq + 1));
    }
    segments.push({ type: match[1] ?? 'unknown', data });
    last = at + match[0].length;
  }
  if (last < message.length) segments.push(text(unescapeCq(message.slice(last))));
  return segments;
}

/**
 * Normalises the `message` field of an event, whichever post format the client uses.
 * Array items that are not `{type, data}` objects are skipped; data values become strings.
 */
export function parseMessage(message: unknown): Segment[] {
  if (typeof message === 'string') return parseCqString(message);
  if (!Array.isArray(message)) return [];
  const segments: Segment[] = [];
  for (const item of message) {
    if (typeof item !== 'object' || item === null) continue;
    const { type, data } = item as { type?: unknown; data?: unknown };
    if (typeof type !== 'string') continue;
    const fields: Record<string, string> = {};
    if (typeof data === 'object' && data !== null) {
      for (const [key, value] of Object.entries(data)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          fields[key] = String(value);
        }
      }
    }
    segments.push({ type, data: fields });
  }
  return segments;
}

function text(value: string): Segment {
  return { type: 'text', data: { text: value } };
}

/** What one outgoing chunk should contain. */
export interface OutgoingParts {
  readonly text: string;
  /** QQ ids to @mention, in order, in front of the text. */
  readonly mentionIds?: readonly string[];
  readonly replyToMessageId?: string;
}

/**
 * Builds the segment array for one outgoing message: an optional `reply`, then one `at`
 * per explicit mention, then the text as a single text segment. Only ids the caller passes
 * as mentions become `at` segments; `all` is refused because @everyone is never the bot's call.
 */
export function buildSegments(parts: OutgoingParts): OutgoingSegment[] {
  const segments: OutgoingSegment[] = [];
  if (parts.replyToMessageId !== undefined && parts.replyToMessageId !== '') {
    segments.push({ type: 'reply', data: { id: parts.replyToMessageId } });
  }
  const mentions = (parts.mentionIds ?? []).filter((id) => /^\d+$/.test(id));
  for (const qq of mentions) segments.push({ type: 'at', data: { qq } });
  const body = mentions.length > 0 && parts.text !== '' ? ` ${parts.text}` : parts.text;
  if (body !== '' || segments.length === 0) segments.push({ type: 'text', data: { text: body } });
  return segments;
}
