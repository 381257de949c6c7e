import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandInfo, CommandParamInfo } from '../../src/core/chat';
import { graphemePrefix, truncateUnits } from '../../src/core/graphemes';
import type { Locale } from '../../src/core/i18n';

/**
 * Discord's limits for chat input commands.
 * https://discord.com/developers/docs/interactions/application-commands#application-command-object
 */
const MAX_NAME = 32;
const MAX_DESCRIPTION = 100;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_COMMANDS = 100;

/** A registered slash command and the GroupDesk command it stands for. */
export interface SlashCommand {
  readonly json: RESTPostAPIChatInputApplicationCommandsJSONBody;
  readonly info: CommandInfo;
  /** Discord option name → the GroupDesk parameter it carries. */
  readonly params: ReadonlyMap<string, CommandParamInfo>;
}

/**
 * Lowercases and replaces what Discord refuses in names (it accepts letters, digits, `-`
 * and `_`; https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming).
 */
export function toDiscordName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^-_\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return graphemePrefix(slug, MAX_NAME);
}

function describe(text: string, fallback: string): string {
  const line = text.replace(/\s+/g, ' ').trim() || fallback;
  return truncateUnits(line, MAX_DESCRIPTION);
}

/** Discord client locales that read each GroupDesk locale. */
const DISCORD_LOCALES: Readonly<Record<Locale, readonly string[]>> = {
  'zh-CN': ['zh-CN'],
  en: ['en-US', 'en-GB'],
};

/**
 * `description_localizations`: a Chinese Discord client shows the Chinese description,
 * an English one the English, whatever the deployment's language (the `description`).
 */
function localizations(
  texts: CommandInfo['localized'],
  fallback: string,
): { description_localizations?: Record<string, string> } {
  const entries = Object.entries(texts ?? {}).flatMap(([locale, text]) =>
    (DISCORD_LOCALES[locale as Locale] ?? []).map((code) => [code, describe(text ?? '', fallback)] as const),
  );
  return entries.length ? { description_localizations: Object.fromEntries(entries) } : {};
}

function toOption(param: CommandParamInfo, name: string): APIApplicationCommandBasicOption {
  const base = {
    name,
    description: describe(param.description, param.name),
    ...localizations(param.localized, param.name),
    required: param.required,
  };
  switch (param.kind) {
    case 'ticket':
      // Ticket numbers are integers; autocomplete offers only the caller's visible tickets.
      return { ...base, type: ApplicationCommandOptionType.Integer, min_value: 1, autocomplete: true };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'number':
      return { ...base, type: ApplicationCommandOptionType.Number };
    case 'choice': {
      const choices = (param.choices ?? []).filter((c) => c.length > 0 && c.length <= MAX_DESCRIPTION);
      // More than 25 choices cannot be listed: fall back to free text, the router validates.
      if (choices.length === 0 || choices.length > MAX_CHOICES) {
        return { ...base, type: ApplicationCommandOptionType.String };
      }
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        choices: choices.map((c) => ({ name: c, value: c })),
      };
    }
    case 'text':
    case 'word':
      return { ...base, type: ApplicationCommandOptionType.String };
  }
}

/**
 * Turns the host's command catalogue into one slash command per GroupDesk command.
 * Discord wants required options before optional ones, so options are reordered; the
 * GroupDesk order is kept in `info` for rebuilding the text command. Commands whose
 * name collides after normalisation, or beyond Discord's 100, are skipped with a warning.
 */
export function buildSlashCommands(
  commands: readonly CommandInfo[],
  warn: (message: string) => void = () => undefined,
): SlashCommand[] {
  const built: SlashCommand[] = [];
  const taken = new Set<string>();
  for (const info of commands) {
    const name = toDiscordName(info.name);
    if (name.length === 0 || taken.has(name)) {
      warn(`discord: command "${info.name}" skipped (empty or duplicate name "${name}")`);
      continue;
    }
    if (built.length >= MAX_COMMANDS) {
      warn(`discord: command "${info.name}" skipped (Discord allows ${MAX_COMMANDS} commands)`);
      continue;
    }
    const params = new Map<string, CommandParamInfo>();
    for (const param of info.params) {
      const optionName = toDiscordName(param.name);
      if (optionName.length === 0 || params.has(optionName) || params.size >= MAX_OPTIONS) {
        warn(`discord: option "${param.name}" of "${info.name}" skipped`);
        continue;
      }
      params.set(optionName, param);
    }
    const options = [...params].map(([optionName, param]) => toOption(param, optionName));
    options.sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false)); // stable sort
    taken.add(name);
    built.push({
      info,
      params,
      json: {
        type: ApplicationCommandType.ChatInput,
        name,
        description: describe(info.description, info.name),
        ...localizations(info.localized, info.name),
        options,
      },
    });
  }
  return built;
}
