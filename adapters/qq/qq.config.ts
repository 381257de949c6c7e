import { z } from 'zod';
import { envKey } from '../kit/config';
import { listenHost } from '../listen-host';

const milliseconds = (fallback: number, min: number) =>
  envKey(z.coerce.number().int().min(min).max(3_600_000).default(fallback));

/**
 * Environment keys of the QQ adapter (OneBot v11 over WebSocket).
 * See https://github.com/botuniverse/onebot-11 (communication/ws.md, ws-reverse.md).
 */
export const qqConfigSchema = z
  .object({
    /** `reverse`: the OneBot client (NapCat, LLBot) dials GroupDesk; `forward`: GroupDesk dials the client. */
    ONEBOT_MODE: envKey(z.enum(['reverse', 'forward']).default('reverse')),
    /** Reverse mode: port GroupDesk listens on (0 picks a free port, for tests). */
    ONEBOT_WS_PORT: envKey(z.coerce.number().int().min(0).max(65535).default(6700)),
    /**
     * Reverse mode: interface to listen on. The OneBot client (NapCat, LLBot) normally runs
     * on the same host, so only it can dial in by default; `0.0.0.0` for one elsewhere.
     */
    ONEBOT_WS_HOST: listenHost(
      '127.0.0.1',
      'must be an IP address or a host name to listen on, e.g. 127.0.0.1 or 0.0.0.0 (no scheme or port)',
    ),
    /** Forward mode: the OneBot client's WebSocket server, e.g. `ws://napcat:3001`. */
    ONEBOT_WS_URL: envKey(
      z
        .url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:3001' })
        .optional(),
    ),
    /** Shared secret; the same value goes into the OneBot client's `token` setting. */
    ONEBOT_ACCESS_TOKEN: z
      .string({ error: 'is required: set the same token here and in the OneBot client (NapCat `token`)' })
      .min(1, 'must not be empty: an open OneBot endpoint lets anyone speak as the bot'),
    /** Minimum spacing between two sends to the same group or user. */
    ONEBOT_SEND_INTERVAL_MS: milliseconds(1000, 0),
    /** How long one action (send_group_msg, get_login_info …) may take before it fails. */
    ONEBOT_ACTION_TIMEOUT_MS: milliseconds(10_000, 1),
  })
  .superRefine((config, ctx) => {
    if (config.ONEBOT_MODE === 'forward' && config.ONEBOT_WS_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ONEBOT_WS_URL'],
        message:
          'is required when ONEBOT_MODE=forward (the OneBot client WebSocket server, e.g. ws://napcat:3001)',
      });
    }
  });

/** Parsed QQ adapter settings. */
export type QqConfig = z.infer<typeof qqConfigSchema>;
