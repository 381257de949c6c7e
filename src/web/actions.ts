/**
 * The web console's actions run the chat commands themselves (claim, reply, note, resolve):
 * the same handler, the same zod schema, the same role, place and plan checks, the same
 * tenant rule (`visibleTicket`). A signed-in person acts as in a direct chat with the bot:
 * staff see every customer, a subscriber only their own. What the command would have
 * answered in chat becomes the page's notice.
 */
import { randomUUID } from 'node:crypto';
import type { CommandRegistry } from '../../commands/registry';
import type { CommandContext, DeskServices, Place } from '../../commands/types';
import type { InboundMessage, Platform } from '../core/chat';
import { UserError } from '../core/errors';
import type { Locale } from '../core/i18n';
import { keywordWords } from '../core/keywords';
import { readerLocale } from '../core/locale';
import type { Person } from '../core/model';
import { checkPlace, checkRoleAndPlan } from '../desk/admission';
import { visibleTicket } from '../desk/visibility';

/** Where a signed-in person stands: a direct conversation, scoped to their customer if they are a subscriber. */
export function placeOf(person: Person): Place {
  return person.role === 'subscriber'
    ? { kind: 'direct', customerId: person.customerId ?? '\u0000none' }
    : { kind: 'direct' };
}

export function localeOf(desk: DeskServices, person: Person): Locale {
  return readerLocale(desk.settings.defaultLocale, person, undefined);
}

/**
 * Where a command acts when it acts on a chat rather than on a ticket: `/bind` binds the
 * group it is said in, `/staff` names people on the platform it is said on. The console
 * says it "in" the chat the form picked, with that chat's place (its binding), so the
 * command's own place check still decides.
 */
export interface WebChat {
  readonly platform: Platform;
  readonly chatId: string;
  readonly chatKind: 'group' | 'direct';
  readonly chatTitle?: string;
}

async function placeIn(desk: DeskServices, person: Person, at: WebChat | undefined): Promise<Place> {
  if (at === undefined || at.chatKind === 'direct') return placeOf(person);
  const group = await desk.store.getGroup(at.platform, at.chatId);
  if (!group) return { kind: 'unbound' };
  return { kind: group.kind, group, ...(group.customerId ? { customerId: group.customerId } : {}) };
}

/** Runs one registered command for `person` with already-named arguments; returns what it replied. */
export async function runCommand(
  desk: DeskServices,
  registry: CommandRegistry,
  person: Person,
  name: string,
  args: Record<string, unknown>,
  at?: WebChat,
): Promise<string[]> {
  const spec = registry.find(name);
  if (!spec) throw new Error(`no command ${name}`);
  // A subscriber never acts in a chosen chat: only managers reach the forms that pass one.
  const place = person.role === 'subscriber' ? placeOf(person) : await placeIn(desk, person, at);
  const locale = localeOf(desk, person);
  const t = (key: string, params?: Record<string, string | number>) => desk.translator.t(locale, key, params);
  // The chat door's own checks (src/desk/admission.ts), so the console is never more permissive.
  checkPlace(desk, spec, place, locale, spec.name);
  await checkRoleAndPlan(desk, spec, person.role, place, locale, spec.name);
  const parsed = spec.schema.safeParse(args);
  if (!parsed.success) throw new UserError('web.bad_input');
  const replies: string[] = [];
  await spec.run(webContext(desk, person, place, locale, spec.name, replies, t, at), parsed.data);
  return replies;
}

function webContext(
  desk: DeskServices,
  person: Person,
  place: Place,
  locale: Locale,
  command: string,
  replies: string[],
  t: (key: string, params?: Record<string, string | number>) => string,
  at: WebChat | undefined,
): CommandContext {
  const message: InboundMessage = {
    platform: at?.platform ?? 'console',
    chatId: at?.chatId ?? `web:${person.id}`,
    chatKind: at?.chatKind ?? 'direct',
    ...(at?.chatTitle ? { chatTitle: at.chatTitle } : {}),
    messageId: `web:${randomUUID()}`,
    sender: { id: `web:${person.id}`, name: person.name },
    text: '',
    mentions: [],
    addressed: true,
  };
  return {
    command,
    message,
    speaker: { person, role: person.role },
    place,
    locale,
    defaultLocale: desk.settings.defaultLocale,
    desk,
    format: desk.format,
    t,
    tIn: (other, key, params) => desk.translator.t(other, key, params),
    isKeyword: (set, value, word) => keywordWords(desk.translator, set, value).includes(word.toLowerCase()),
    setSpeakerLocale: () => undefined,
    reply: (text) => {
      replies.push(text);
    },
    visibleTicket: (number) => visibleTicket(desk.store, place, number),
    // A form names people by their desk id (the assignee list), never by a platform id.
    personFor: async (user) => {
      const found = await desk.store.getPerson(user.id);
      if (!found) throw new UserError('person.unknown', { who: user.name ?? user.id });
      return found;
    },
    me: () => person,
    openTicket: async () => {
      throw new UserError('web.bad_input');
    },
  };
}
