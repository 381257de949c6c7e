import { z } from 'zod';
import { envKey, isHttpUrl, requiredKey } from '../kit/config';
import { listenHost } from '../listen-host';

const required = requiredKey;

const optional = <T extends z.ZodType>(schema: T) => envKey(schema.optional());

/** Feishu (China) and Lark (international) open platforms, or any base URL (a local fake in tests). */
const DOMAINS = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' } as const;

/**
 * The Feishu/Lark adapter's environment keys. The app (企业自建应用) is identified by
 * FEISHU_APP_ID / FEISHU_APP_SECRET; events arrive over the SDK's long connection
 * (`ws`, the default: no public URL needed) or as HTTP callbacks (`http`), which need the
 * Verification Token and the Encrypt Key from the app's "Events & Callbacks" page.
 * See https://open.feishu.cn/document/server-docs/event-subscription-guide/overview.
 */
export const feishuConfigSchema = z
  .object({
    FEISHU_APP_ID: required('FEISHU_APP_ID', 'the App ID, cli_…, from Credentials & Basic Info').refine(
      // The SDK's long connection refuses any other shape (and only logs it).
      (v) => /^cli_[0-9a-f]{16}$/i.test(v),
      'FEISHU_APP_ID must be the App ID: cli_ and 16 hex digits (Credentials & Basic Info)',
    ),
    FEISHU_APP_SECRET: required('FEISHU_APP_SECRET', 'the App Secret from Credentials & Basic Info'),
    FEISHU_DOMAIN: envKey(
      z
        .string()
        .trim()
        .refine(
          (v) => v === 'feishu' || v === 'lark' || isHttpUrl(v),
          'FEISHU_DOMAIN must be feishu (open.feishu.cn), lark (open.larksuite.com) or an http(s) base URL',
        )
        .default('feishu'),
    ),
    FEISHU_MODE: envKey(
      z
        .enum(['ws', 'http'], {
          error: 'FEISHU_MODE must be ws (long connection, the default) or http (event callbacks)',
        })
        .default('ws'),
    ),
    FEISHU_VERIFICATION_TOKEN: optional(z.string().trim().min(1)),
    FEISHU_ENCRYPT_KEY: optional(z.string().trim().min(1)),
    /** HTTP mode: interface the callback receiver listens on. */
    FEISHU_HOST: listenHost(
      '0.0.0.0',
      'FEISHU_HOST must be an IP address or a host name to listen on, e.g. 0.0.0.0 or 127.0.0.1 behind a proxy (no scheme or port)',
    ),
    FEISHU_PORT: envKey(
      z.coerce
        .number({ error: 'FEISHU_PORT must be a port number (0-65535)' })
        .int('FEISHU_PORT must be a whole number')
        .min(0, 'FEISHU_PORT must be between 0 and 65535')
        .max(65535, 'FEISHU_PORT must be between 0 and 65535')
        .default(3100),
    ),
    FEISHU_EVENTS_PATH: envKey(
      z
        .string()
        .regex(/^\/[\w\-./]*$/, 'FEISHU_EVENTS_PATH must be a path such as /feishu/events')
        .default('/feishu/events'),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.FEISHU_MODE !== 'http') return;
    // Without the Encrypt Key Feishu sends no signature and no timestamp: a forged or
    // replayed callback could not be told from a real one, so HTTP mode needs both.
    for (const key of ['FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY'] as const) {
      if (env[key] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is required when FEISHU_MODE=http (Events & Callbacks → Encryption Strategy)`,
        });
    }
  })
  .transform((env): FeishuConfig => {
    const common = {
      appId: env.FEISHU_APP_ID,
      appSecret: env.FEISHU_APP_SECRET,
      domain:
        env.FEISHU_DOMAIN === 'feishu' || env.FEISHU_DOMAIN === 'lark'
          ? DOMAINS[env.FEISHU_DOMAIN]
          : env.FEISHU_DOMAIN.replace(/\/+$/, ''),
    };
    if (env.FEISHU_MODE === 'ws') return { ...common, mode: 'ws' };
    return {
      ...common,
      mode: 'http',
      verificationToken: env.FEISHU_VERIFICATION_TOKEN!,
      encryptKey: env.FEISHU_ENCRYPT_KEY!,
      host: env.FEISHU_HOST,
      port: env.FEISHU_PORT,
      path: env.FEISHU_EVENTS_PATH,
    };
  });

interface FeishuCommonConfig {
  readonly appId: string;
  readonly appSecret: string;
  /** Open platform base URL, e.g. https://open.feishu.cn. */
  readonly domain: string;
}

/** Parsed Feishu/Lark settings: long connection (ws) or HTTP callbacks. */
export type FeishuConfig =
  | (FeishuCommonConfig & { readonly mode: 'ws' })
  | (FeishuCommonConfig & {
      readonly mode: 'http';
      readonly verificationToken: string;
      readonly encryptKey: string;
      readonly host: string;
      readonly port: number;
      readonly path: string;
    });
