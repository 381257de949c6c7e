import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { LOCALES, type Locale } from '../src/core/i18n';
import { type CommandContext, defineCommand } from './types';

/** The word that makes `/lang` set the group's language instead of the speaker's. */
const GROUP_WORDS = ['group', '群', '群组'];

/**
 * `/lang` shows the speaker's language and the supported ones; `/lang en` sets the
 * speaker's own; `/lang group en` sets the bound group's (managers and admins only).
 * Who reads what: src/core/locale.ts.
 */
export const langCommand = defineCommand({
  name: 'lang',
  aliases: { 'zh-CN': ['语言'] },
  // Subscribers and staff: an unknown speaker in a customer group is registered first,
  // since a language is kept on the person.
  audience: ['subscriber', 'engineer'],
  places: ['customer', 'staff', 'manager', 'direct'],
  params: [
    { name: 'scope', kind: 'word', required: false },
    { name: 'code', kind: 'word', required: false },
  ],
  schema: z.object({ scope: z.string().max(40).optional(), code: z.string().max(40).optional() }),
  async run(ctx, args) {
    if (args.scope === undefined) return ctx.reply(current(ctx));
    if (GROUP_WORDS.includes(args.scope.toLowerCase())) {
      if (args.code === undefined) throw badArgs(ctx);
      return setGroup(ctx, args.code);
    }
    if (args.code !== undefined) throw badArgs(ctx);
    const locale = ctx.desk.directory.localeOf(args.scope);
    await ctx.desk.directory.setPersonLocale(ctx.me(), locale);
    ctx.setSpeakerLocale(locale); // the confirmation is already in the new language
    ctx.reply(ctx.t('lang.set_own', { language: ctx.t(`lang.name.${locale}`) }));
  },
});

async function setGroup(ctx: CommandContext, code: string): Promise<void> {
  const group = ctx.place.group;
  if (!group) {
    throw new UserError('refuse.place', {
      command: 'lang group',
      places: (['customer', 'staff', 'manager'] as const)
        .map((p) => ctx.t(`place.${p}`))
        .join(ctx.t('list.separator')),
    });
  }
  const role = ctx.speaker.role;
  if (role !== 'manager' && role !== 'admin') {
    throw new UserError('refuse.role', { command: 'lang group', who: ctx.t('audience.manager') });
  }
  const locale = ctx.desk.directory.localeOf(code);
  await ctx.desk.directory.setGroupLocale(group, locale);
  // A speaker without a language of their own reads the group's: from now on, this one.
  if (ctx.speaker.person?.locale === undefined) ctx.setSpeakerLocale(locale);
  ctx.reply(ctx.t('lang.set_group', { language: ctx.t(`lang.name.${locale}`) }));
}

function current(ctx: CommandContext): string {
  const own = ctx.speaker.person?.locale;
  const group = ctx.place.group?.locale;
  const source = own !== undefined ? 'own' : group !== undefined ? 'group' : 'default';
  const name = (l: Locale) => `${ctx.t(`lang.name.${l}`)} (${l})`;
  return ctx.t('lang.current', {
    language: name(ctx.locale),
    source: ctx.t(`lang.source.${source}`),
    supported: LOCALES.map(name).join(ctx.t('list.separator')),
  });
}

function badArgs(ctx: CommandContext): UserError {
  return new UserError('cmd.bad_args', { usage: ctx.t('cmd.lang.usage'), command: 'lang' });
}
