/**
 * How a reply to an inbound message is addressed: same chat and thread, quoting it; the
 * requester named in a customer group (WeChat and QQ have no threads); privately where the
 * platform can, for slash commands and buttons outside customer groups.
 */
import type { Place, ReplyOptions } from '../../commands/types';
import type { InboundMessage, OutboundMessage } from '../core/chat';

export function replyTo(
  m: InboundMessage,
  place: Place,
  text: string,
  asked: ReplyOptions,
): { message: OutboundMessage; after?: ReplyOptions['after'] } {
  const inGroup = m.chatKind === 'group' && place.kind === 'customer';
  // A customer group's members should see staff actions and new tickets, as for typed commands.
  const options = m.interaction && !inGroup && !asked.startThread ? { ...asked, private: true } : asked;
  const message: OutboundMessage = {
    platform: m.platform,
    ...(m.account !== undefined ? { account: m.account } : {}),
    chatId: m.chatId,
    chatKind: m.chatKind,
    ...(m.threadId ? { threadId: m.threadId } : {}),
    text,
    replyToMessageId: m.messageId,
    ...(inGroup && !options.private ? { mentions: [m.sender] } : {}),
    ...(options.private ? { visibleTo: m.sender.id } : {}),
    ...(options.refused ? { refused: true } : {}),
    ...(options.buttons ? { buttons: options.buttons } : {}),
    ...(options.startThread ? { startThread: true } : {}),
  };
  return { message, ...(options.after ? { after: options.after } : {}) };
}
