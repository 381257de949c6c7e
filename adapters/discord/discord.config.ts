import { z } from 'zod';
import { envKey } from '../kit/config';

/** Discord ids are snowflakes: 17–20 decimal digits. Catches channel names or URLs pasted by mistake. */
const snowflake = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17–20 digits)');

/**
 * Environment keys of the Discord adapter. `config/` composes this into the application
 * schema; the adapter itself only ever receives the parsed `DiscordConfig`.
 */
export const discordConfigSchema = z.object({
  /** Bot token from the Developer Portal (Bot → Reset Token). */
  DISCORD_TOKEN: z.string().trim().min(1, 'the bot token from the Developer Portal (Bot → Token)'),
  /** Application id (General Information → Application ID); commands are registered under it. */
  DISCORD_APPLICATION_ID: snowflake,
  /**
   * Comma-separated guild (server) ids. When set, slash commands are registered per guild
   * (available at once); otherwise globally (Discord may take a while to show them).
   */
  DISCORD_GUILD_IDS: z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((id) => id.trim())
            .filter((id) => id.length > 0)
        : (value ?? []),
    z.array(snowflake),
  ),
  /**
   * REST base including `/api` (default Discord's own, https://discord.com/api). The gateway
   * URL is still discovered through `GET /gateway/bot` on this base. Used by tests and proxies.
   */
  DISCORD_API_URL: envKey(
    z
      .url({ protocol: /^https?$/ })
      .refine((url) => !/\/v\d+\/?$/.test(url), 'leave the API version out, e.g. https://discord.com/api')
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
});

export type DiscordConfig = z.output<typeof discordConfigSchema>;
