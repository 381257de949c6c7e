import { z } from 'zod';
import { envKey as env } from '../kit/config';

/**
 * Puppets GroupDesk knows how to configure. Only `wechaty-puppet-mock` is exercised by the
 * test suite; the other two speak real WeChat protocols and are supported by configuration
 * only (see adapters/wechat/README.md).
 */
export const WECHAT_PUPPETS = [
  'wechaty-puppet-wechat4u',
  'wechaty-puppet-service',
  'wechaty-puppet-mock',
] as const;
export type WechatPuppetName = (typeof WECHAT_PUPPETS)[number];

const interval = (fallback: number) => env(z.coerce.number().int().min(0).max(600_000).default(fallback));

const jsonObject = z.string().transform((text, ctx): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // reported below with the expected shape
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON object, e.g. {"tls":{"disable":true}}' });
  return z.NEVER;
});

/** The environment keys of the WeChat adapter, as `config/` validates them at start. */
export const wechatEnvSchema = z.object({
  /** Wechaty puppet package; wechat4u is Wechaty's own default and needs no token. */
  WECHATY_PUPPET: env(z.enum(WECHAT_PUPPETS).default('wechaty-puppet-wechat4u')),
  /** Token from a puppet-service provider; required with `wechaty-puppet-service`. */
  WECHATY_PUPPET_SERVICE_TOKEN: env(z.string().optional()),
  /** `host:port` of a self-hosted puppet service; without it the token is resolved by discovery. */
  WECHATY_PUPPET_SERVICE_ENDPOINT: env(z.string().optional()),
  /** Further puppet options passed through unchanged, as a JSON object. */
  WECHATY_PUPPET_OPTIONS: env(jsonObject.optional()),
  /** Session (memory-card) file name inside the data dir: `<dataDir>/<name>.memory-card.json`. */
  WECHATY_NAME: env(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a file name (letters, digits, . _ -), not a path')
      .default('groupdesk'),
  ),
  /** Register people joining a bound room as its customer's subscribers (and remove leavers). */
  WECHAT_SYNC_MEMBERS: env(z.stringbool().default(false)),
  /** Minimum spacing between two sends to the same room or contact. */
  WECHAT_SEND_INTERVAL_MS: interval(1500),
  /** Minimum spacing between any two sends of the account. */
  WECHAT_GLOBAL_SEND_INTERVAL_MS: interval(500),
  /** Longer replies are split into several messages of at most this many characters. */
  WECHAT_MAX_TEXT: env(z.coerce.number().int().min(100).max(10_000).default(1800)),
});

/** Parsed options the adapter is constructed with. */
export interface WechatConfig {
  readonly puppet: WechatPuppetName;
  /** Passed to the puppet as `puppetOptions` (token, endpoint and the pass-through options). */
  readonly puppetOptions: Readonly<Record<string, unknown>>;
  readonly name: string;
  readonly syncMembers: boolean;
  readonly sendIntervalMs: number;
  readonly globalSendIntervalMs: number;
  readonly maxText: number;
}

/** Validates the WeChat keys and turns them into a `WechatConfig`. */
export const wechatConfigSchema = wechatEnvSchema
  .superRefine((v, ctx) => {
    if (v.WECHATY_PUPPET === 'wechaty-puppet-service' && !v.WECHATY_PUPPET_SERVICE_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['WECHATY_PUPPET_SERVICE_TOKEN'],
        message: 'required when WECHATY_PUPPET is wechaty-puppet-service (ask your puppet-service provider)',
      });
    }
  })
  .transform(
    (v): WechatConfig => ({
      puppet: v.WECHATY_PUPPET,
      puppetOptions: {
        ...v.WECHATY_PUPPET_OPTIONS,
        ...(v.WECHATY_PUPPET_SERVICE_TOKEN ? { token: v.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
        ...(v.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: v.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
      },
      name: v.WECHATY_NAME,
      syncMembers: v.WECHAT_SYNC_MEMBERS,
      sendIntervalMs: v.WECHAT_SEND_INTERVAL_MS,
      globalSendIntervalMs: v.WECHAT_GLOBAL_SEND_INTERVAL_MS,
      maxText: v.WECHAT_MAX_TEXT,
    }),
  );

/** Parses the WeChat keys out of an environment-like record (throws a ZodError naming the key). */
export function parseWechatConfig(source: Readonly<Record<string, string | undefined>>): WechatConfig {
  return wechatConfigSchema.parse(source);
}
