import type { Contact, Wechaty } from 'wechaty';
import type { ChatUser, OutboundMessage } from '../../src/core/chat';

/** One place to send to: `say` resolves with the platform message id when the puppet returns one. */
export interface Target {
  say(text: string, withMentions: boolean): Promise<string | undefined>;
}

/**
 * A room by id. `room.say(text, ...contacts)` writes "@name" (group card, else nickname) in
 * front of the text and hands the ids to the puppet, which is what makes WeChat notify them.
 * See https://wechaty.js.org/docs/api/room
 */
export async function roomTarget(
  bot: Wechaty,
  roomId: string,
  mentions: readonly ChatUser[],
): Promise<Target> {
  // Room.find() reports an unknown id as a bot-wide `error` event: ask the puppet first.
  if (!(await exists(() => bot.puppet.roomPayload(roomId)))) throw new Error(`unknown WeChat room ${roomId}`);
  const room = await bot.Room.find({ id: roomId });
  if (!room) throw new Error(`unknown WeChat room ${roomId}`);
  const contacts: Contact[] = [];
  let typed = ''; // people the puppet does not know can still be named, just not notified
  for (const m of mentions) {
    const contact = await findContact(bot, m.id);
    if (contact) contacts.push(contact);
    else typed += `@${m.name ?? m.id} `;
  }
  return {
    say: async (text, withMentions) =>
      (withMentions ? await room.say(typed + text, ...contacts) : await room.say(text))?.id,
  };
}

/** A person, one to one (WeChat delivers only to the account's friends). */
export async function contactTarget(bot: Wechaty, contactId: string): Promise<Target> {
  const contact = await findContact(bot, contactId);
  if (!contact) throw new Error(`unknown WeChat contact ${contactId}`);
  return { say: async (text) => (await contact.say(text))?.id };
}

/** WeChat has no buttons: each becomes a line naming the command to type. */
export function withButtons(message: OutboundMessage): string {
  const buttons = message.buttons ?? [];
  if (buttons.length === 0) return message.text;
  return `${message.text}\n\n${buttons.map((b) => `${b.label}: ${b.command}`).join('\n')}`;
}

async function findContact(bot: Wechaty, id: string): Promise<Contact | undefined> {
  // Like Room.find(), Contact.find() turns an unknown id into a bot-wide `error` event.
  if (!(await exists(() => bot.puppet.contactPayload(id)))) return undefined;
  return bot.Contact.find({ id });
}

async function exists(lookup: () => Promise<unknown>): Promise<boolean> {
  try {
    await lookup();
    return true;
  } catch {
    return false;
  }
}
