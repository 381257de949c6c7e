import { discordConfigSchema } from '../../../adapters/discord/discord.config';

const base = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '100000000000000001' };

describe('discordConfigSchema', () => {
  it('reads a comma list of guild ids and defaults to none', () => {
    expect(discordConfigSchema.parse(base).DISCORD_GUILD_IDS).toEqual([]);
    expect(discordConfigSchema.parse({ ...base, DISCORD_GUILD_IDS: '' }).DISCORD_GUILD_IDS).toEqual([]);
    const parsed = discordConfigSchema.parse({
      ...base,
      DISCORD_GUILD_IDS: ' 200000000000000001, 200000000000000002 ,',
    });
    expect(parsed.DISCORD_GUILD_IDS).toEqual(['200000000000000001', '200000000000000002']);
  });

  it('names the key when an id is not a Discord id', () => {
    const result = discordConfigSchema.safeParse({
      ...base,
      DISCORD_GUILD_IDS: '200000000000000001,support',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['DISCORD_GUILD_IDS', 1]);
    expect(discordConfigSchema.safeParse({ ...base, DISCORD_APPLICATION_ID: 'groupdesk' }).success).toBe(
      false,
    );
    expect(discordConfigSchema.safeParse({ ...base, DISCORD_TOKEN: ' ' }).success).toBe(false);
  });

  it('takes an optional REST base without the API version', () => {
    expect(discordConfigSchema.parse(base).DISCORD_API_URL).toBeUndefined();
    expect(discordConfigSchema.parse({ ...base, DISCORD_API_URL: '' }).DISCORD_API_URL).toBeUndefined();
    const url = discordConfigSchema.parse({ ...base, DISCORD_API_URL: 'http://127.0.0.1:9999/api/' });
    expect(url.DISCORD_API_URL).toBe('http://127.0.0.1:9999/api');
    expect(
      discordConfigSchema.safeParse({ ...base, DISCORD_API_URL: 'https://discord.com/api/v10' }).success,
    ).toBe(false);
    expect(discordConfigSchema.safeParse({ ...base, DISCORD_API_URL: 'ftp://x/api' }).success).toBe(false);
  });
});
