/**
 * Saved replies. Managers curate them (`add`, `edit`, `remove`, one text per locale);
 * engineers send one as the reply to a ticket (`/macro NAME #N`), through /reply's own path
 * (sendReply), so delivery, history and the SLA clock are exactly those of /reply.
 */
import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { isLocale, LOCALES, type Locale } from '../src/core/i18n';
import { type MacroStore, macroName, macroText, pickMacro } from '../src/core/macros';
import { excerptOf, parseTicketNumber } from '../src/core/text';
import { mayRun } from '../src/desk/roles';
import { sendReply } from './reply';
import { type CommandContext, defineCommand, STAFF_PLACES } from './types';

const ACTIONS = ['add', 'edit', 'remove', 'list'] as const;

export const macroCommand = defineCommand({
  name: 'macro',
  aliases: { 'zh-CN': ['模板'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'action', kind: 'choice', required: false, choices: ACTIONS, keywords: 'action' },
    { name: 'name', kind: 'word', required: false },
    { name: 'text', kind: 'text', required: false },
  ],
  schema: z.object({
    action: z.enum(ACTIONS).optional(),
    name: z.string().optional(),
    text: z.string().optional(),
  }),
  async run(ctx, args) {
    const macros = ctx.desk.macros;
    if (!macros) throw new UserError('macro.unavailable');
    if (args.action === 'list') {
      if (args.name !== undefined) throw badArgs(ctx);
      return list(ctx, macros);
    }
    if (args.name === undefined) throw badArgs(ctx);
    if (args.action === undefined) return send(ctx, macros, args.name, args.text);
    // Curating is a manager's job, and never in a customer group (the customer would read it).
    if (!mayRun(['manager'], ctx.speaker.role))
      throw new UserError('refuse.role', { command: ctx.command, who: ctx.t('audience.manager') });
    if (ctx.place.kind === 'customer') throw new UserError('macro.not_here');
    const name = macroName(args.name);
    if (ACTIONS.some((a) => ctx.isKeyword('action', a, name)))
      throw new UserError('macro.bad_name', { name });
    const { locale, rest } = localeOf(args.text, ctx.locale);
    const existing = await macros.getMacros(name);
    const here = existing.find((m) => m.locale === locale);
    if (args.action === 'remove') {
      if (rest) throw badArgs(ctx);
      const removed = await macros.deleteMacro(name, hasLocale(args.text) ? locale : undefined);
      if (removed === 0) throw new UserError('macro.unknown', { name });
      return ctx.reply(ctx.t('macro.removed', { name, count: removed }));
    }
    if (args.action === 'add' && here) throw new UserError('macro.exists', { name, locale });
    if (args.action === 'edit' && !here) throw new UserError('macro.unknown', { name });
    const text = macroText(rest);
    await macros.putMacro({ name, locale, text, updatedBy: ctx.me().id, updatedAt: ctx.desk.clock.now() });
    ctx.reply(ctx.t(args.action === 'add' ? 'macro.added' : 'macro.edited', { name, locale }));
  },
});

async function send(ctx: CommandContext, macros: MacroStore, rawName: string, rest: string | undefined) {
  const number = rest === undefined ? undefined : parseTicketNumber(rest);
  if (number === undefined) throw badArgs(ctx);
  const name = rawName.normalize('NFKC').toLowerCase();
  const ticket = await ctx.visibleTicket(number);
  const group = await ctx.desk.store.getGroup(ticket.platform, ticket.chatId);
  const macro = pickMacro(await macros.getMacros(name), group?.locale ?? ctx.defaultLocale);
  if (!macro) throw new UserError('macro.unknown', { name: rawName });
  await sendReply(ctx, ticket, macro.text);
}

async function list(ctx: CommandContext, macros: MacroStore) {
  const all = await macros.listMacros();
  if (all.length === 0) return ctx.reply(ctx.t('macro.none'));
  const lines = all.map((m) => `${m.name} [${m.locale}] ${excerptOf(m.text, 60)}`);
  ctx.reply([ctx.t('macro.list_header', { count: all.length }), ...lines].join('\n'), {
    private: ctx.place.kind === 'customer',
  });
}

/** `zh-CN 你好…` → that locale and the rest; otherwise the speaker's locale and all of it. */
function localeOf(text: string | undefined, fallback: Locale): { locale: Locale; rest: string } {
  const match = /^(\S+)\s*([\s\S]*)$/u.exec((text ?? '').trim());
  const word = LOCALES.find((l) => l.toLowerCase() === match?.[1]?.toLowerCase());
  if (match && word && isLocale(word)) return { locale: word, rest: match[2] ?? '' };
  return { locale: fallback, rest: (text ?? '').trim() };
}

function hasLocale(text: string | undefined): boolean {
  const first = (text ?? '').trim().split(/\s+/)[0]?.toLowerCase();
  return LOCALES.some((l) => l.toLowerCase() === first);
}

function badArgs(ctx: CommandContext): UserError {
  return new UserError('cmd.bad_args', { usage: ctx.t('cmd.macro.usage'), command: ctx.command });
}
