/** The session cookie and the one-shot notice cookie of the web console. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session, SignInLinks } from '../desk/signin';
import { SignInRefused } from '../desk/signin';

export const SESSION_COOKIE = 'gd_session';
const NOTICE_COOKIE = 'gd_notice';

export interface Notice {
  readonly text: string;
  readonly error: boolean;
}

/** The request's session, or undefined (a stale cookie is cleared on the way). */
export async function sessionOf(
  signIn: SignInLinks,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<Session | undefined> {
  const cookie = req.cookies[SESSION_COOKIE];
  if (!cookie) return undefined;
  try {
    return await signIn.session(cookie);
  } catch (error) {
    if (!(error instanceof SignInRefused)) throw error;
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return undefined;
  }
}

export function setSession(
  reply: FastifyReply,
  cookie: string,
  session: Session,
  secure: boolean,
  now: number,
): void {
  reply.setCookie(SESSION_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    // Max-Age, not Expires: the browser counts from its own now, while the server checks
    // expiry on the desk's clock (which the playground and tests move by hand).
    maxAge: Math.max(1, Math.floor((session.expiresAt - now) / 1000)),
  });
}

export function setNotice(reply: FastifyReply, notice: Notice): void {
  reply.setCookie(NOTICE_COOKIE, JSON.stringify(notice), { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** The notice left by the last action, shown once (it is only ever the reader's own words back). */
export function takeNotice(req: FastifyRequest, reply: FastifyReply): Notice | undefined {
  const raw = req.cookies[NOTICE_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(NOTICE_COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(raw) as Partial<Notice>;
    return typeof parsed.text === 'string'
      ? { text: parsed.text.slice(0, 2000), error: parsed.error === true }
      : undefined;
  } catch {
    return undefined;
  }
}
