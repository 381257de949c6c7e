/**
 * WeChat quotes ("引用"). Wechaty 1.x has no quote API (wechaty/wechaty#2387 is still
 * open); puppets such as padlocal deliver a quoting message as text, quote first:
 *
 *   「Alice：the build fails on Node 20」
 *   - - - - - - - - - - - - - - -
 *   here is the log
 *
 * The quoted part is what the room showed of the quoted message (its sender's name and
 * text), so it is matched against recent messages of the same room (QuotedTexts) and, for
 * the bot's own messages, carries their `#N`.
 */

export interface Quote {
  /** Display name of the quoted message's sender, as WeChat shows it. */
  readonly name: string;
  /** The quoted message's text as shown (may itself be long or multi-line). */
  readonly text: string;
  /** What the speaker wrote under the quote. */
  readonly reply: string;
}

// 「name：text」, a line of "- " repeated (its length varies by client), then the reply.
const QUOTE = /^「([\s\S]*?)」\n(?:- ?){3,}\n([\s\S]*)$/;

/** The quote and the reply of a quoting message; undefined for any other text. */
export function parseQuote(raw: string): Quote | undefined {
  const match = QUOTE.exec(raw.replace(/\r\n/g, '\n'));
  if (!match) return undefined;
  const inner = match[1]!;
  // The name ends at the first colon (WeChat writes a full-width one; some clients ":").
  const colon = inner.search(/[：:]/);
  if (colon <= 0) return undefined;
  return { name: inner.slice(0, colon).trim(), text: inner.slice(colon + 1), reply: match[2]! };
}

/**
 * The ids of recent messages of each room by their text, so that a quote of a customer's
 * message (which carries no `#N`) can name the message it quotes. Bounded; the oldest
 * entries go first.
 */
export class QuotedTexts {
  private readonly ids = new Map<string, string>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  remember(roomId: string, text: string, messageId: string): void {
    const key = keyOf(roomId, text);
    this.ids.delete(key); // re-inserted below: a Map keeps insertion order
    this.ids.set(key, messageId);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }

  /** The id of the latest message of `roomId` with this text, if still remembered. */
  find(roomId: string, text: string): string | undefined {
    return this.ids.get(keyOf(roomId, text));
  }
}

/** Room and text with WeChat's mention separator and runs of white space made plain. */
function keyOf(roomId: string, text: string): string {
  return `${roomId}\n${text.replace(/[\s\u2005]+/g, ' ').trim()}`;
}
