/**
 * What a command handler may use: the turn's message, speaker and place, replies, and the
 * two lookups that enforce tenant isolation (`visibleTicket`) and identity (`personFor`).
 */
import type { CommandContext } from '../../commands/types';
import { UserError } from '../core/errors';
import { keywordWords } from '../core/keywords';
import { visibleTicket } from '../desk/visibility';
import { openTicket } from './intake';
import type { ChatDoor, Turn } from './turn';

export function commandContext(router: ChatDoor, turn: Turn, command: string): CommandContext {
  const { desk } = router;
  return {
    command,
    isKeyword: (set, value, word) => keywordWords(router.translator, set, value).includes(word.toLowerCase()),
    format: router.format,
    openTicket: (text, category) => openTicket(router, turn, turn.speaker.person!, text, category),
    message: turn.message,
    speaker: turn.speaker,
    place: turn.place,
    get locale() {
      return turn.locale;
    },
    desk,
    t: (key, params) => router.t(turn.locale, key, params),
    tIn: (locale, key, params) => router.t(locale, key, params),
    defaultLocale: router.defaultLocale,
    setSpeakerLocale: (locale) => {
      turn.locale = locale;
    },
    reply: (text, options) => router.reply(turn, text, options),
    // Another customer's ticket answers exactly like one that does not exist.
    visibleTicket: (number) => visibleTicket(desk.store, turn.place, number),
    personFor: async (user) => {
      const person = await desk.store.findPersonByIdentity(turn.message.platform, user.id);
      if (!person) {
        // Name who could be meant instead: the registered engineers and managers.
        const staff = [
          ...(await desk.store.listPeople({ role: 'engineer' })),
          ...(await desk.store.listPeople({ role: 'manager' })),
        ].map((p) => p.name);
        throw new UserError('person.unknown_staff', {
          who: user.name ?? user.id,
          staff: staff.join(router.t(turn.locale, 'list.separator')) || '—',
        });
      }
      return person;
    },
    me: () => {
      if (!turn.speaker.person) {
        throw new UserError('person.unknown', { who: turn.message.sender.name ?? turn.message.sender.id });
      }
      return turn.speaker.person;
    },
  };
}
