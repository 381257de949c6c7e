/**
 * Which chat platforms are configured, and their adapters. A platform is on when its
 * key is present: SLACK_BOT_TOKEN, DISCORD_TOKEN, WECHATY_PUPPET, ONEBOT_ACCESS_TOKEN.
 * Each adapter validates its own keys with its zod schema; a bad value is a ConfigError.
 */
import type { ChatAdapter } from '../adapters/adapter';
import { DiscordAdapter } from '../adapters/discord/discord.adapter';
import { discordConfigSchema } from '../adapters/discord/discord.config';
import { QqAdapter } from '../adapters/qq/qq.adapter';
import { qqConfigSchema } from '../adapters/qq/qq.config';
import { SlackAdapter } from '../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../adapters/slack/slack.config';
import { WechatAdapter } from '../adapters/wechat/wechat.adapter';
import { parseWechatConfig } from '../adapters/wechat/wechat.config';
import { blanksRemoved, type Env, parseWith } from '../config/load';
import type { Platform } from './core/chat';
import { ConfigError } from './core/errors';
import type { Logger } from './core/logger';

export interface PlatformContext {
  readonly dataDir: string;
  readonly logger: Logger;
}

interface PlatformEntry {
  readonly name: Platform;
  readonly switchKey: string;
  build(env: Env, ctx: PlatformContext): ChatAdapter;
  /** Whether people joining/leaving its bound groups should become/stop being subscribers. */
  syncsMembers?(env: Env): boolean;
}

const PLATFORMS: readonly PlatformEntry[] = [
  {
    name: 'slack',
    switchKey: 'SLACK_BOT_TOKEN',
    build: (env, ctx) =>
      new SlackAdapter(parseWith(slackConfigSchema, blanksRemoved(env), 'environment'), {
        logger: ctx.logger,
      }),
  },
  {
    name: 'discord',
    switchKey: 'DISCORD_TOKEN',
    build: (env, ctx) =>
      new DiscordAdapter(parseWith(discordConfigSchema, blanksRemoved(env), 'environment'), {
        logger: ctx.logger,
      }),
  },
  {
    name: 'wechat',
    switchKey: 'WECHATY_PUPPET',
    build: (env, ctx) =>
      new WechatAdapter(
        configOrThrow(() => parseWechatConfig(env)),
        { dataDir: ctx.dataDir, logger: ctx.logger },
      ),
    syncsMembers: (env) => configOrThrow(() => parseWechatConfig(env)).syncMembers,
  },
  {
    name: 'qq',
    switchKey: 'ONEBOT_ACCESS_TOKEN',
    build: (env, ctx) =>
      new QqAdapter(parseWith(qqConfigSchema, blanksRemoved(env), 'environment'), { log: ctx.logger }),
  },
];

/** Adapters for every configured platform; empty when none is (the console playground then runs). */
export function configuredAdapters(env: Env, ctx: PlatformContext): ChatAdapter[] {
  return configured(env).map((p) => p.build(env, ctx));
}

function configured(env: Env): PlatformEntry[] {
  return PLATFORMS.filter((p) => (env[p.switchKey] ?? '').trim() !== '');
}

/** Configured platforms whose membership changes the desk should apply (WECHAT_SYNC_MEMBERS). */
export function membershipSyncPlatforms(env: Env): Platform[] {
  return configured(env)
    .filter((p) => p.syncsMembers?.(env) ?? false)
    .map((p) => p.name);
}

function configOrThrow<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}
