import { z } from 'zod';
import { envKey, isHttpUrl, requiredKey } from '../kit/config';

const required = requiredKey;

/**
 * The DingTalk adapter's environment keys. The app is an enterprise internal app
 * (企业内部应用) with the robot capability and "Stream mode" chosen for its messages:
 * DINGTALK_CLIENT_ID / DINGTALK_CLIENT_SECRET are its Client ID (AppKey) and Client Secret
 * (AppSecret). DINGTALK_ROBOT_CODE is the robot's code, the Client ID for such an app.
 * DINGTALK_API_BASE replaces https://api.dingtalk.com for the gateway, the token and the
 * OpenAPI (a local fake in tests, a proxy in deployments that need one).
 * See adapters/dingtalk/README.md.
 */
export const dingtalkConfigSchema = z
  .object({
    DINGTALK_CLIENT_ID: required(
      'DINGTALK_CLIENT_ID',
      'the Client ID (AppKey) from Credentials & Basic Info',
    ),
    DINGTALK_CLIENT_SECRET: required(
      'DINGTALK_CLIENT_SECRET',
      'the Client Secret (AppSecret) from Credentials & Basic Info',
    ),
    DINGTALK_ROBOT_CODE: envKey(z.string().trim().min(1).optional()),
    DINGTALK_API_BASE: envKey(
      z
        .string()
        .trim()
        .refine(isHttpUrl, 'DINGTALK_API_BASE must be an http(s) base URL such as https://api.dingtalk.com')
        .default('https://api.dingtalk.com'),
    ),
  })
  .transform(
    (env): DingtalkConfig => ({
      clientId: env.DINGTALK_CLIENT_ID,
      clientSecret: env.DINGTALK_CLIENT_SECRET,
      robotCode: env.DINGTALK_ROBOT_CODE ?? env.DINGTALK_CLIENT_ID,
      apiBase: env.DINGTALK_API_BASE.replace(/\/+$/, ''),
    }),
  );

/** Parsed DingTalk settings. */
export interface DingtalkConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly robotCode: string;
  /** OpenAPI base URL, e.g. https://api.dingtalk.com: gateway, token and sends. */
  readonly apiBase: string;
}
