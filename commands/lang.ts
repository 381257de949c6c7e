import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { LOCALES, type Locale } from '../src/core/i18n';
import { readerLocale } from '../src/core/locale';
import { type CommandContext, defineCommand } from './types';

/** `kw.lang.group` makes `/lang` set the group's language; `kw.lang.reset` drops a choice (locale files). */
const isGroup = (ctx: CommandContext, word: string) => ctx.isKeyword('lang', 'group', word);
const isReset = (ctx: CommandContext, word: string) => ctx.isKeyword('lang', 'reset', word);

/**
 * `/lang` shows the speaker's language and the supported ones; `/lang en` sets the
 * speaker's own; `/lang group en` sets the bound group's (managers and admins only);
 * `/lang reset` and `/lang group reset` drop those choices again.
 * Who reads what: src/core/locale.ts.
 */
export const langCommand = defineCommand({
  name: 'lang',
  aliases: { 'zh-CN': ['语言'] },
  // Everyone: an unknown speaker in a customer group is registered as its subscriber first;
  // anyone else without a plan is kept as a visitor, since a language is kept on the person.
  audience: ['everyone', 'subscriber'],
  places: ['customer', 'community', 'staff', 'manager', 'direct'],
  params: [
    { name: 'scope', kind: 'word', required: false },
    { name: 'code', kind: 'word', required: false },
  ],
  schema: z.object({ scope: z.string().max(40).optional(), code: z.string().max(40).optional() }),
  async run(ctx, args) {
    if (args.scope === undefined) return ctx.reply(current(ctx));
    if (isGroup(ctx, args.scope)) {
      if (args.code === undefined) throw badArgs(ctx);
      return setGroup(ctx, args.scope, args.code);
    }
    if (args.code !== undefined) throw badArgs(ctx);
    if (isReset(ctx, args.scope)) return resetOwn(ctx);
    const locale = localeOf(ctx, args.scope);
    const person = ctx.speaker.person;
    if (person) await ctx.desk.directory.setPersonLocale(person, locale);
    else {
      const { platform, sender } = ctx.message;
      await ctx.desk.directory.setVisitorLocale(platform, sender.id, sender.name, locale);
    }
    ctx.setSpeakerLocale(locale); // the confirmation is already in the new language
    ctx.reply(ctx.t('lang.set_own', { language: ctx.t(`lang.name.${locale}`) }));
  },
});

async function resetOwn(ctx: CommandContext): Promise<void> {
  const person = ctx.speaker.person;
  if (person) await ctx.desk.directory.setPersonLocale(person, undefined);
  const group = ctx.place.group?.locale;
  const locale = readerLocale(ctx.defaultLocale, undefined, ctx.place.group);
  ctx.setSpeakerLocale(locale);
  ctx.reply(
    ctx.t('lang.reset_own', {
      language: ctx.t(`lang.name.${locale}`),
      source: ctx.t(`lang.source.${group !== undefined ? 'group' : 'default'}`),
    }),
  );
}

async function setGroup(ctx: CommandContext, scope: string, code: string): Promise<void> {
  const group = ctx.place.group;
  if (!group) {
    throw new UserError('refuse.place', {
      command: `${ctx.command} ${scope}`,
      places: (['customer', 'staff', 'manager'] as const)
        .map((p) => ctx.t(`place.${p}`))
        .join(ctx.t('list.separator')),
    });
  }
  const role = ctx.speaker.role;
  if (role !== 'manager' && role !== 'admin') {
    throw new UserError('refuse.role', {
      command: `${ctx.command} ${scope}`,
      who: ctx.t('audience.manager'),
    });
  }
  const locale = isReset(ctx, code) ? undefined : localeOf(ctx, code);
  await ctx.desk.directory.setGroupLocale(group, locale);
  // A speaker without a language of their own reads the group's: from now on, this one.
  const reads = locale ?? ctx.defaultLocale;
  if (ctx.speaker.person?.locale === undefined) ctx.setSpeakerLocale(reads);
  const key = locale === undefined ? 'lang.reset_group' : 'lang.set_group';
  ctx.reply(ctx.t(key, { language: ctx.t(`lang.name.${reads}`) }));
}

/** The locale a code names; an unknown code is refused with the languages in the reader's words. */
function localeOf(ctx: CommandContext, code: string): Locale {
  if (
    !LOCALES.some((l) => l.toLowerCase() === code.trim().toLowerCase()) &&
    code.trim().toLowerCase() !== 'zh'
  )
    throw new UserError('lang.unknown', {
      code,
      supported: LOCALES.map((l) => named(ctx, l)).join(ctx.t('list.separator')),
    });
  return ctx.desk.directory.localeOf(code);
}

/** `简体中文（zh-CN）`, `English (en)`: the brackets are the reader's locale's. */
function named(ctx: CommandContext, l: Locale): string {
  return ctx.t('lang.name_with_code', { name: ctx.t(`lang.name.${l}`), code: l });
}

function current(ctx: CommandContext): string {
  const own = ctx.speaker.person?.locale;
  const group = ctx.place.group?.locale;
  const source = own !== undefined ? 'own' : group !== undefined ? 'group' : 'default';
  const name = (l: Locale) => named(ctx, l);
  return ctx.t('lang.current', {
    language: name(ctx.locale),
    source: ctx.t(`lang.source.${source}`),
    supported: LOCALES.map(name).join(ctx.t('list.separator')),
  });
}

function badArgs(ctx: CommandContext): UserError {
  return new UserError('cmd.bad_args', { usage: ctx.t('cmd.lang.usage'), command: ctx.command });
}
