/**
 * The command registry: names and aliases (every locale's aliases are accepted
 * everywhere) map to one spec. Registering a name or alias twice throws.
 */
import type { CommandInfo } from '../src/core/chat';
import { LOCALES, type Locale, type Translator } from '../src/core/i18n';
import type { CommandSpec } from './types';

export class CommandRegistry {
  private readonly byWord = new Map<string, CommandSpec>();
  private readonly specs: CommandSpec[] = [];

  register(spec: CommandSpec): this {
    const words = [spec.name, ...Object.values(spec.aliases ?? {}).flat()];
    for (const word of words) {
      const key = word.toLowerCase();
      const taken = this.byWord.get(key);
      if (taken)
        throw new Error(`command word "${word}" of /${spec.name} is already taken by /${taken.name}`);
      this.byWord.set(key, spec);
    }
    this.specs.push(spec);
    return this;
  }

  find(word: string): CommandSpec | undefined {
    return this.byWord.get(word.toLowerCase());
  }

  all(): readonly CommandSpec[] {
    return this.specs;
  }

  /**
   * The catalogue platforms with native commands register (Discord, Slack hints): texts in
   * `locale`, and in every supported locale under `localized` for clients that show the
   * reader's own language (Discord's description localizations).
   */
  catalogue(translator: Translator, locale: Locale): CommandInfo[] {
    const each = (key: string) => Object.fromEntries(LOCALES.map((l) => [l, translator.t(l, key)]));
    return this.specs.map((spec) => ({
      name: spec.name,
      aliases: Object.values(spec.aliases ?? {}).flat(),
      description: translator.t(locale, `cmd.${spec.name}.help`),
      localized: each(`cmd.${spec.name}.help`),
      params: spec.params.map((p) => ({
        name: p.name,
        kind: p.kind,
        required: p.required,
        ...(p.choices ? { choices: p.choices } : {}),
        description: translator.t(locale, `param.${p.name}`),
        localized: each(`param.${p.name}`),
      })),
    }));
  }
}
