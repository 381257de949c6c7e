import type * as lark from '@larksuiteoapi/node-sdk';
import type { InboundMessage, OutboundMessage } from '../../src/core/chat';
import { RecentCache } from '../kit/cache';
import { errorFields, type Logger } from '../kit/logger';
import type { PacedSender } from '../kit/paced-sender';
import type { CardPlace } from './feishu.mapper';
import { type CardParts, cardContent, pressed } from './feishu.render';
import { checked } from './feishu.sdk';

const DAY = 24 * 60 * 60_000;

/** A card the bot sent: where it lives, and what it shows (to rebuild it after a click). */
interface KnownCard extends CardPlace {
  readonly parts?: CardParts;
}

/** A click the desk is working on: which card, which button, who. */
interface Click {
  readonly card: string;
  readonly command: string;
  readonly by: string;
}

/**
 * The cards the bot sent and the clicks on them, so that a card shows what became of it:
 * once the desk answers a click with anything but a refusal, the card loses the button
 * pressed and says who pressed it (Claim: @Bob), for everyone in the chat. The desk's answer
 * to a click is the only sign that the command succeeded: the click itself is answered
 * before the desk works on it. Feishu updates only shared cards (`update_multi`) sent less
 * than 14 days ago (https://open.feishu.cn/document/server-docs/im-v1/message-card/patch).
 * A command typed instead of clicked leaves the card as it is.
 */
export class CardBook {
  /**
   * In memory: after a restart, older cards keep their buttons but are no longer updated.
   * A card's parts hold at most 2,000 characters of text: 5,000 cards stay within ~20 MB.
   */
  private readonly cards = new RecentCache<KnownCard>({ max: 5_000, ttlMs: 14 * DAY, order: 'insertion' });
  /** By the click's message id (`card:${event_id}`); a click unanswered for an hour is forgotten. */
  private readonly clicks = new RecentCache<Click>({ max: 20_000, ttlMs: DAY / 24, order: 'insertion' });

  /** Remembers a card just sent. */
  sent(messageId: string, place: CardPlace, parts?: CardParts): void {
    this.cards.set(messageId, parts !== undefined ? { ...place, parts } : place);
  }

  placeOf(messageId: string): CardPlace | undefined {
    return this.cards.get(messageId);
  }

  /** Notes a click (a mapped `card.action.trigger`) until the desk answers it. */
  clicked(message: InboundMessage): void {
    if (message.quotedMessageId === undefined) return;
    this.clicks.set(message.messageId, {
      card: message.quotedMessageId,
      command: message.text,
      by: message.sender.id,
    });
  }

  /**
   * The update an answer calls for: the card's id and new content when `answer` is the
   * desk's first non-refusal answer to a click on a card that still shows that button.
   * Taken once: a second answer to the same click, or a retry, updates nothing.
   */
  updateFor(answer: OutboundMessage): { messageId: string; content: string } | undefined {
    const id = answer.replyToMessageId;
    const click = id !== undefined ? this.clicks.get(id) : undefined;
    if (click === undefined) return undefined;
    this.clicks.delete(id!);
    if (answer.refused === true) return undefined;
    const card = this.cards.get(click.card);
    const parts = card?.parts !== undefined ? pressed(card.parts, click.command, click.by) : undefined;
    if (card === undefined || parts === undefined) return undefined;
    this.cards.set(click.card, { ...card, parts });
    return { messageId: click.card, content: cardContent(parts) };
  }

  /**
   * After a click the desk answered (not refused), the card shows it: PATCH of the card's
   * message through the SDK, in the chat's send queue. A failed update is logged, never the
   * answer's failure.
   */
  async updateAfter(
    answer: OutboundMessage,
    client: lark.Client,
    sender: PacedSender,
    log: Logger,
  ): Promise<void> {
    const update = this.updateFor(answer);
    if (update === undefined) return;
    try {
      await sender.run(answer.chatId, 'im.v1.message.patch', async () =>
        checked(
          await client.im.v1.message.patch({
            path: { message_id: update.messageId },
            data: { content: update.content },
          }),
        ),
      );
    } catch (error) {
      log.warn(`Feishu card ${update.messageId} not updated after a click`, errorFields(error));
    }
  }
}
