/**
 * Which chat platforms are configured, and their adapters. A platform is on when its
 * key is present: SLACK_BOT_TOKEN, DISCORD_TOKEN, WECHATY_PUPPET, ONEBOT_ACCESS_TOKEN,
 * FEISHU_APP_ID, DINGTALK_CLIENT_ID.
 * Each adapter validates its own keys with its zod schema; a bad value is a ConfigError.
 * These keys and the platforms' other secrets are refused when set but blank (`KEY=` or
 * spaces): read as "off", such a line silently started the playground instead of the bot.
 *
 * An adapter module is loaded only when its platform is configured: the SDKs take 0.5–1.2 s
 * each to load (Wechaty, discord.js, Bolt), which the playground and a one-platform bot
 * should not pay for the others.
 */
import type { ChatAdapter } from '../adapters/adapter';
import type * as DingtalkModule from '../adapters/dingtalk/dingtalk.adapter';
import { dingtalkConfigSchema } from '../adapters/dingtalk/dingtalk.config';
import type * as DiscordModule from '../adapters/discord/discord.adapter';
import { discordConfigSchema } from '../adapters/discord/discord.config';
import type * as FeishuModule from '../adapters/feishu/feishu.adapter';
import { feishuConfigSchema } from '../adapters/feishu/feishu.config';
import type * as QqModule from '../adapters/qq/qq.adapter';
import { qqConfigSchema } from '../adapters/qq/qq.config';
import type * as SlackModule from '../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../adapters/slack/slack.config';
import type * as WechatModule from '../adapters/wechat/wechat.adapter';
import { wechatConfigSchema } from '../adapters/wechat/wechat.config';
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
  /** As the operator knows it, for messages. */
  readonly label: string;
  readonly switchKey: string;
  /** What the switch key holds, for the "set but blank" message. */
  readonly switchHolds: string;
  /** Further secrets of the platform, also refused when set but blank. */
  readonly secretKeys?: readonly string[];
  build(env: Env, ctx: PlatformContext): ChatAdapter;
  /** Whether people joining/leaving its bound groups should become/stop being subscribers. */
  syncsMembers?(env: Env): boolean;
}

const load = {
  slack: () => require('../adapters/slack/slack.adapter') as typeof SlackModule,
  discord: () => require('../adapters/discord/discord.adapter') as typeof DiscordModule,
  wechat: () => require('../adapters/wechat/wechat.adapter') as typeof WechatModule,
  qq: () => require('../adapters/qq/qq.adapter') as typeof QqModule,
  feishu: () => require('../adapters/feishu/feishu.adapter') as typeof FeishuModule,
  dingtalk: () => require('../adapters/dingtalk/dingtalk.adapter') as typeof DingtalkModule,
};

const PLATFORMS: readonly PlatformEntry[] = [
  {
    name: 'slack',
    label: 'Slack',
    switchKey: 'SLACK_BOT_TOKEN',
    switchHolds: 'token',
    secretKeys: ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'],
    build: (env, ctx) =>
      new (load.slack().SlackAdapter)(parseWith(slackConfigSchema, blanksRemoved(env), 'environment'), {
        logger: ctx.logger,
      }),
  },
  {
    name: 'discord',
    label: 'Discord',
    switchKey: 'DISCORD_TOKEN',
    switchHolds: 'token',
    build: (env, ctx) =>
      new (load.discord().DiscordAdapter)(parseWith(discordConfigSchema, blanksRemoved(env), 'environment'), {
        logger: ctx.logger,
      }),
  },
  {
    name: 'wechat',
    label: 'WeChat',
    switchKey: 'WECHATY_PUPPET',
    switchHolds: 'puppet',
    secretKeys: ['WECHATY_PUPPET_SERVICE_TOKEN'],
    build: (env, ctx) =>
      new (load.wechat().WechatAdapter)(parseWith(wechatConfigSchema, blanksRemoved(env), 'environment'), {
        dataDir: ctx.dataDir,
        logger: ctx.logger,
      }),
    syncsMembers: (env) => parseWith(wechatConfigSchema, blanksRemoved(env), 'environment').syncMembers,
  },
  {
    name: 'qq',
    label: 'QQ',
    switchKey: 'ONEBOT_ACCESS_TOKEN',
    switchHolds: 'token',
    build: (env, ctx) =>
      new (load.qq().QqAdapter)(parseWith(qqConfigSchema, blanksRemoved(env), 'environment'), {
        log: ctx.logger,
      }),
  },
  {
    name: 'feishu',
    label: 'Feishu',
    switchKey: 'FEISHU_APP_ID',
    switchHolds: 'App ID',
    secretKeys: ['FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY'],
    build: (env, ctx) =>
      new (load.feishu().FeishuAdapter)(parseWith(feishuConfigSchema, blanksRemoved(env), 'environment'), {
        logger: ctx.logger,
      }),
  },
  {
    name: 'dingtalk',
    label: 'DingTalk',
    switchKey: 'DINGTALK_CLIENT_ID',
    switchHolds: 'Client ID',
    secretKeys: ['DINGTALK_CLIENT_SECRET'],
    build: (env, ctx) =>
      new (load.dingtalk().DingtalkAdapter)(
        parseWith(dingtalkConfigSchema, blanksRemoved(env), 'environment'),
        {
          logger: ctx.logger,
        },
      ),
  },
];

/** Adapters for every configured platform; empty when none is (the console playground then runs). */
export function configuredAdapters(env: Env, ctx: PlatformContext): ChatAdapter[] {
  return configured(env).map((p) => p.build(env, ctx));
}

function configured(env: Env): PlatformEntry[] {
  for (const p of PLATFORMS) refuseBlanks(env, p);
  return PLATFORMS.filter((p) => env[p.switchKey] !== undefined);
}

/** Unlike other keys, where `KEY=` means "unset": see the module's comment. */
function refuseBlanks(env: Env, p: PlatformEntry): void {
  const blank = (key: string) => env[key] !== undefined && env[key].trim() === '';
  const refuse = (key: string, fix: string) => {
    throw new ConfigError(`environment: ${key}=${JSON.stringify(env[key])}: set but blank: ${fix}`);
  };
  if (blank(p.switchKey))
    refuse(p.switchKey, `remove the line to leave ${p.label} off, or give the ${p.switchHolds}`);
  for (const key of p.secretKeys ?? [])
    if (blank(key)) refuse(key, `remove the line to leave it unset, or give the ${p.label} secret`);
}

/** Configured platforms whose membership changes the desk should apply (WECHAT_SYNC_MEMBERS). */
export function membershipSyncPlatforms(env: Env): Platform[] {
  return configured(env)
    .filter((p) => p.syncsMembers?.(env) ?? false)
    .map((p) => p.name);
}
