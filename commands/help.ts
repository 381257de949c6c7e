import { z } from 'zod';
import { mayRun } from '../src/desk/roles';
import { plansGuide } from './plans-guide';
import type { CommandRegistry } from './registry';
import { ALL_PLACES, type CommandSpec, defineCommand } from './types';

/** `/help` needs the registry it lists, so it is made by a factory. */
export function helpCommand(registry: CommandRegistry): CommandSpec {
  return defineCommand({
    name: 'help',
    aliases: { 'zh-CN': ['帮助'] },
    audience: ['everyone'],
    places: ALL_PLACES,
    params: [{ name: 'command', kind: 'word', required: false }],
    schema: z.object({ command: z.string().optional() }),
    async run(ctx, args) {
      const usable = registry
        .all()
        .filter((spec) => mayRun(spec.audience, ctx.speaker.role) && spec.places.includes(ctx.place.kind));
      if (args.command) {
        const word = args.command.replace(/^[/／]/, '');
        const spec = registry.find(word);
        if (!spec || !usable.includes(spec)) return ctx.reply(ctx.t('help.unknown', { command: word }));
        // The speaker's own locale's aliases first, then the others (all of them work).
        const own = spec.aliases?.[ctx.locale] ?? [];
        const aliases = [...own, ...Object.values(spec.aliases ?? {}).flat()]
          .filter((a, i, all) => all.indexOf(a) === i)
          .map((a) => `/${a}`)
          .join(' ');
        return ctx.reply(
          [
            ctx.t(`cmd.${spec.name}.usage`),
            ctx.t(`cmd.${spec.name}.help`),
            ...(aliases ? [ctx.t('help.aliases', { aliases })] : []),
          ].join('\n'),
        );
      }
      const lines = [
        ctx.t('help.header'),
        ...usable.map((spec) => `${ctx.t(`cmd.${spec.name}.usage`)} — ${ctx.t(`cmd.${spec.name}.help`)}`),
      ];
      // Someone without a plan (the community group, a stranger): where free help is, and
      // what each plan would give them, instead of a list of one command.
      if (ctx.place.kind === 'community' || ctx.speaker.role === 'unknown')
        lines.push('', ...plansGuide(ctx));
      ctx.reply(lines.join('\n'));
    },
  });
}
