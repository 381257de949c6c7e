import { z } from 'zod';
import { SignInRefused } from '../src/desk/signin';
import { defineCommand, STAFF_PLACES } from './types';

/**
 * `/web`: a one-time sign-in link to the web console, for the speaker's eyes only (ephemeral
 * where the platform has it, a direct message elsewhere): it signs whoever opens it in.
 */
export const webCommand = defineCommand({
  name: 'web',
  aliases: { 'zh-CN': ['网页'] },
  audience: ['subscriber', 'engineer'],
  places: STAFF_PLACES,
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const me = ctx.me();
    let url: string;
    try {
      url = await ctx.desk.signIn.link(me);
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      return ctx.reply(ctx.t('web.link_refused'), { private: true });
    }
    ctx.reply(ctx.t('web.link', { url }), { private: true });
  },
});
