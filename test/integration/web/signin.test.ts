/**
 * Sign-in through chat: `/web` gives a link that is signed, bound to the person, good for
 * ten minutes and for one sign-in; sessions end with sign-out and when the person may no
 * longer use the console. Real router, real SQLite, the real Fastify app through inject().
 */
import { cookieHeader, formOf, setCookies, submit, type World, world } from './world';

describe('web sign-in', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.close());

  const confirm = (link: string) => w.app.inject({ method: 'GET', url: link });
  const redeem = async (link: string) => {
    const page = await confirm(link);
    const { csrf, cookie } = formOf(page);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    return w.app.inject({
      method: 'POST',
      url: '/signin',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, token }).toString(),
    });
  };
  const tamper = (link: string, change: (claims: Record<string, unknown>, mac: string) => string) => {
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const [body, mac] = token.split('.') as [string, string];
    return `/signin?token=${change(JSON.parse(Buffer.from(body, 'base64url').toString()), mac)}`;
  };

  it('/web answers the speaker alone with a link; opening it asks first, and the POST signs in', async () => {
    const [reply] = await w.say('bob', 'staff', '/web');
    expect(reply?.visibleTo).toBe('bob');
    expect(reply?.text).toContain(`(valid for 10 minutes, one use, only for you): ${w.url}/signin?token=`);
    const link = await w.linkFor('bob');
    const page = await confirm(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sign in to the GroupDesk web console as bob?');
    const done = await redeem(link);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/');
    const session = setCookies(done).find((c) => c.startsWith('gd_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    const queue = await w.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: cookieHeader([session]) },
    });
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('Signed in as bob');
  });

  it('a link works once: the second use is refused', async () => {
    const link = await w.linkFor('bob');
    expect((await redeem(link)).statusCode).toBe(303);
    const again = await redeem(link);
    expect(again.statusCode).toBe(403);
    expect(again.body).toContain('This sign-in link was already used');
    expect(setCookies(again).some((c) => c.startsWith('gd_session='))).toBe(false);
  });

  it('a link expires after ten minutes', async () => {
    const link = await w.linkFor('bob');
    w.clock.advance(10 * 60_000 + 1);
    const page = await confirm(link);
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('This sign-in link has expired');
  });

  it('a forged link, or one moved to another person, is refused', async () => {
    const link = await w.linkFor('alice');
    const bob = (await w.desk.services.store.findPersonByIdentity('console', 'bob'))!;
    const flipped = tamper(link, (claims, mac) => {
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${body}.${mac.startsWith('A') ? `B${mac.slice(1)}` : `A${mac.slice(1)}`}`;
    });
    const moved = tamper(link, (claims, mac) => {
      const body = Buffer.from(JSON.stringify({ ...claims, p: bob.id })).toString('base64url');
      return `${body}.${mac}`;
    });
    for (const url of [flipped, moved]) {
      const page = await confirm(url);
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('This sign-in link is not valid');
    }
    const garbled = await confirm('/signin?token=not-a-token-at-all');
    expect(garbled.statusCode).toBe(400);
    // The untouched link still signs alice in, and only her.
    const done = await redeem(link);
    const queue = await w.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: cookieHeader(setCookies(done)) },
    });
    expect(queue.body).toContain('Signed in as alice');
  });

  it('sign-out ends the session, also for a copy of the cookie', async () => {
    const cookie = await w.signIn('bob');
    const out = await submit(w, cookie, '/', '/signout', {});
    expect(out.statusCode).toBe(200);
    expect(setCookies(out).some((c) => /^gd_session=;/.test(c))).toBe(true);
    const after = await w.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('a session ends when the person is removed from staff, or their customer no longer has a plan', async () => {
    const bob = await w.signIn('bob');
    const alice = await w.signIn('alice');
    await w.desk.services.directory.removeStaff('console', 'bob');
    expect((await w.app.inject({ method: 'GET', url: '/', headers: { cookie: bob } })).statusCode).toBe(401);
    const { store, clock } = w.desk.services;
    for (const sub of await store.listSubscriptions('acme'))
      await store.putSubscription({ ...sub, endsAt: clock.now() - 1, graceDays: 0 });
    const gone = await w.app.inject({ method: 'GET', url: '/', headers: { cookie: alice } });
    expect(gone.statusCode).toBe(401);
    expect(gone.body).toContain('send /web to the bot');
  });

  it('signing in is rate-limited', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await confirm('/signin?token=aaaaaaaaaaaa.bbbb')).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 403)).toBe(true);
    expect(codes.slice(20)).toEqual([429, 429]);
  });
});
