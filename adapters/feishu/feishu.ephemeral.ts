import type * as lark from '@larksuiteoapi/node-sdk';
import type { OutboundMessage } from '../../src/core/chat';
import { PlatformBusyError } from '../../src/core/errors';
import { errorFields, type Logger } from '../kit/logger';
import type { PacedSender } from '../kit/paced-sender';
import { renderEphemeral } from './feishu.render';
import { checked } from './feishu.sdk';

/**
 * Who alone should read `message` inside its group, if anyone: the `visibleTo` person, or,
 * for a refusal answered in the open, the one person it names (the customer who asked).
 * Undefined outside groups: Feishu's ephemeral cards exist in group chats only.
 */
export function ephemeralReader(message: OutboundMessage): string | undefined {
  if (message.chatKind !== 'group') return undefined;
  if (message.visibleTo !== undefined) return message.visibleTo;
  const named = message.mentions ?? [];
  return message.refused === true && named.length === 1 ? named[0]!.id : undefined;
}

/**
 * Sends `message` as ephemeral cards ("仅对你可见") to `openId` in the message's group:
 * `POST /open-apis/ephemeral/v1/send` with `chat_id`, `open_id`, `msg_type: interactive`
 * and the card as an object. The SDK has no method for it; its generic `request` adds the
 * tenant token. Feishu shows such a card only on the person's clients that are online, and
 * takes no `uuid`: a retry may show it twice. Returns the cards' message ids, in order.
 * See https://open.feishu.cn/document/ukTMukTMukTM/uETOyYjLxkjM24SM5IjN.
 */
export async function sendEphemeral(
  client: lark.Client,
  sender: PacedSender,
  message: OutboundMessage,
  openId: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const card of renderEphemeral(message)) {
    const res = (await sender.run(message.chatId, 'ephemeral/v1/send', async () =>
      checked(
        (await client.request({
          method: 'POST',
          url: '/open-apis/ephemeral/v1/send',
          data: { chat_id: message.chatId, open_id: openId, msg_type: 'interactive', card },
        })) as { code?: number; msg?: string; data?: { message_id?: string } },
      ),
    )) as { data?: { message_id?: string } };
    const id = res.data?.message_id;
    if (!id) throw new Error('ephemeral/v1/send answered without a message_id');
    ids.push(id);
  }
  return ids;
}

/**
 * `message` as ephemeral cards when it is for one person in a group: the cards' ids, or
 * undefined when it is not for one person, or Feishu refused the cards (logged), so that
 * the caller sends it the usual way, which still reaches them. Busy is the outbox's to retry.
 */
export async function tryEphemeral(
  client: lark.Client,
  sender: PacedSender,
  message: OutboundMessage,
  log: Logger,
): Promise<string[] | undefined> {
  const reader = ephemeralReader(message);
  if (reader === undefined) return undefined;
  try {
    return await sendEphemeral(client, sender, message, reader);
  } catch (error) {
    if (error instanceof PlatformBusyError) throw error;
    const instead = message.visibleTo !== undefined ? 'a one-to-one message' : 'in the chat';
    log.info(`Feishu ephemeral card failed; sending ${instead}`, errorFields(error));
    return undefined;
  }
}
