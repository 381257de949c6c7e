/**
 * Turns the text after a command name into the raw argument object its zod schema
 * validates: tickets as numbers, mentions as users, the rest of the line as text.
 * Optional parameters that do not fit the next word are skipped, so `/ticket how do I…`
 * and `/ticket diagnosis how do I…` both work.
 */

import type { ParamSpec } from '../../commands/types';
import type { ChatUser } from '../core/chat';
import type { Translator } from '../core/i18n';
import { keywordValue } from '../core/keywords';
import { parseTicketNumber } from '../core/text';

export type RawArgs = Record<string, string | number | ChatUser>;

export function parseArgs(
  params: readonly ParamSpec[],
  rest: string,
  mentions: readonly ChatUser[],
  /** Where a choice's words in each locale come from; without it only the canonical values match. */
  translator?: Translator,
): RawArgs {
  const raw: RawArgs = {};
  let remaining = rest.trim();
  for (const param of params) {
    if (param.kind === 'text') {
      if (remaining) raw[param.name] = remaining;
      remaining = '';
      break;
    }
    const match = /^(\S+)\s*/u.exec(remaining);
    if (!match) break;
    const word = match[1]!;
    const value = convert(param, word, mentions, translator);
    if (value === undefined) {
      if (param.required) raw[param.name] = word; // let the schema report the bad value
      if (param.required) remaining = remaining.slice(match[0].length);
      continue;
    }
    raw[param.name] = value;
    remaining = remaining.slice(match[0].length);
  }
  if (remaining) raw._extra = remaining;
  return raw;
}

function convert(
  param: ParamSpec,
  word: string,
  mentions: readonly ChatUser[],
  translator: Translator | undefined,
): string | number | ChatUser | undefined {
  switch (param.kind) {
    case 'ticket':
      return parseTicketNumber(word);
    case 'number':
      return /^\d{1,6}$/.test(word) ? Number(word) : undefined;
    case 'choice': {
      const lower = word.toLowerCase();
      if (param.keywords && translator && param.choices)
        return keywordValue(translator, param.keywords, param.choices, word);
      return param.choices?.includes(lower) ? lower : undefined;
    }
    case 'user':
      return mentionFor(word, mentions);
    default:
      return word;
  }
}

/** `@bob` → the mention the platform reported for it (by name or id), else a bare id. */
function mentionFor(word: string, mentions: readonly ChatUser[]): ChatUser | undefined {
  if (!word.startsWith('@') && !word.startsWith('<@')) return undefined;
  const bare = word.replace(/^<?@!?/, '').replace(/>$/, '');
  if (!bare) return undefined;
  return mentions.find((m) => m.id === bare || m.name === bare) ?? { id: bare, name: bare };
}
