/**
 * Who is speaking and where: the person behind the platform identity, the group the chat
 * is bound to, and the one customer whose data may be shown there.
 */

import type { InboundMessage } from '../core/chat';
import type { Directory } from '../core/directory';
import type { DirectoryStore } from '../core/ports';
import type { Place, Speaker } from '../desk/types';

export async function resolveContext(
  store: DirectoryStore,
  message: InboundMessage,
): Promise<{ speaker: Speaker; place: Place }> {
  const [person, group] = await Promise.all([
    store.findPersonByIdentity(message.platform, message.sender.id),
    message.chatKind === 'group'
      ? store.getGroup(message.platform, message.chatId)
      : Promise.resolve(undefined),
  ]);
  let place: Place;
  if (message.chatKind === 'direct') {
    place = {
      kind: 'direct',
      ...(person?.role === 'subscriber' && person.customerId ? { customerId: person.customerId } : {}),
    };
  } else if (!group) {
    place = { kind: 'unbound' };
  } else {
    place = { kind: group.kind, group, ...(group.customerId ? { customerId: group.customerId } : {}) };
  }
  // A subscriber of another customer is a stranger here: they see nothing of this customer.
  const foreign =
    person?.role === 'subscriber' && place.kind === 'customer' && person.customerId !== place.customerId;
  // A visitor is known for their language only: unknown to every rule, read in their language.
  const speaker: Speaker =
    person && !foreign
      ? { person, role: person.role === 'visitor' ? 'unknown' : person.role }
      : { role: 'unknown' };
  return { speaker, place };
}

/** Registers an unknown speaker in a customer group as that customer's subscriber (the group is dedicated). */
export async function adoptSpeaker(
  directory: Directory,
  message: InboundMessage,
  place: Place,
  current: Speaker,
): Promise<Speaker> {
  if (place.kind !== 'customer' || !place.customerId) return current;
  const person = await directory.addSubscriber(
    message.platform,
    message.sender.id,
    place.customerId,
    message.sender.name,
  );
  return person.role === 'subscriber' && person.customerId !== place.customerId
    ? { role: 'unknown' }
    : { person, role: person.role };
}
