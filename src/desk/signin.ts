/**
 * Sign-in without passwords: a person asks in chat (`/web`) or an admin runs
 * `groupdesk web-link`, and gets a link that is signed (HMAC-SHA256), bound to that person,
 * valid for ten minutes and good for one sign-in. Single use rests on the store's inbound-key
 * claim (an insert of a unique key), which holds on SQLite, MongoDB and FerretDB alike.
 * Sessions are signed the same way with a key of their own; every request checks that the
 * person still exists and may still use the console (staff, or a subscriber whose customer
 * holds a plan), so removing someone from staff ends their sessions.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Directory } from '../core/directory';
import type { Person } from '../core/model';
import type { Clock, InboundKeys, PeopleStore } from '../core/ports';

export const LINK_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;

/** Why a link or a session was refused; the page says it in the reader's words (`web.signin.<reason>`). */
export type Refusal = 'malformed' | 'forged' | 'expired' | 'used' | 'not_allowed';

export class SignInRefused extends Error {
  constructor(readonly reason: Refusal) {
    super(`sign-in refused: ${reason}`);
    this.name = 'SignInRefused';
  }
}

export interface Session {
  readonly person: Person;
  /** The session's id: what a sign-out revokes. */
  readonly id: string;
  readonly expiresAt: number;
}

interface Claims {
  /** person id */
  readonly p: string;
  /** nonce (links) or session id (sessions) */
  readonly n: string;
  /** expiry, ms since epoch */
  readonly e: number;
  /** role when issued (sessions): a change of role ends the session */
  readonly r?: string;
}

export interface SignInDeps {
  readonly store: InboundKeys & Pick<PeopleStore, 'getPerson'>;
  readonly directory: Pick<Directory, 'effectivePlan'>;
  readonly clock: Clock;
  readonly secret: () => Buffer;
  /** The console's public address, read when a link is made (a test server's port is known late). */
  readonly baseUrl: () => string;
}

export class SignInLinks {
  private readonly revoked = new Map<string, number>();

  constructor(private readonly deps: SignInDeps) {}

  /** A one-time sign-in link for `person`, or a refusal when they may not use the console. */
  async link(person: Person): Promise<string> {
    if (!(await this.allowed(person))) throw new SignInRefused('not_allowed');
    const token = this.seal('link', {
      p: person.id,
      n: randomBytes(16).toString('base64url'),
      e: this.now() + LINK_TTL_MS,
    });
    return `${this.deps.baseUrl()}/signin?token=${token}`;
  }

  /** Checks a link's token without using it up (the confirmation page). */
  async peek(token: string): Promise<Person> {
    return this.checked(this.open('link', token));
  }

  /** Uses a link's token up and opens a session; a second use, an expired or a forged token is refused. */
  async redeem(token: string): Promise<{ cookie: string; session: Session }> {
    const claims = this.open('link', token);
    const person = await this.checked(claims);
    if (!(await this.deps.store.claimInbound(`web-signin:${claims.n}`, this.now())))
      throw new SignInRefused('used');
    const id = randomBytes(16).toString('base64url');
    const expiresAt = this.now() + SESSION_TTL_MS;
    return {
      cookie: this.seal('session', { p: person.id, n: id, e: expiresAt, r: person.role }),
      session: { person, id, expiresAt },
    };
  }

  /** The session a cookie stands for, checked against the person as they are now. */
  async session(cookie: string): Promise<Session> {
    const claims = this.open('session', cookie);
    if (this.revoked.has(claims.n)) throw new SignInRefused('expired');
    const person = await this.checked(claims);
    if (person.role !== claims.r) throw new SignInRefused('not_allowed');
    return { person, id: claims.n, expiresAt: claims.e };
  }

  /** Ends a session in this process (the cookie is cleared too; it would lapse at its expiry anyway). */
  signOut(session: Session): void {
    const now = this.now();
    for (const [id, until] of this.revoked) if (until < now) this.revoked.delete(id);
    this.revoked.set(session.id, session.expiresAt);
  }

  /** Staff, or a subscriber whose customer holds a plan (community users have no console). */
  async allowed(person: Person): Promise<boolean> {
    // Every role but subscriber is staff (roles.ts ranks them; importing it here would loop through types.ts).
    if (person.role !== 'subscriber') return true;
    if (!person.customerId) return false;
    return (await this.deps.directory.effectivePlan(person.customerId)).subscription !== undefined;
  }

  private async checked(claims: Claims): Promise<Person> {
    if (claims.e <= this.now()) throw new SignInRefused('expired');
    const person = await this.deps.store.getPerson(claims.p);
    if (!person || !(await this.allowed(person))) throw new SignInRefused('not_allowed');
    return person;
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private key(purpose: 'link' | 'session'): Buffer {
    return createHmac('sha256', this.deps.secret()).update(`groupdesk web ${purpose} v1`).digest();
  }

  private seal(purpose: 'link' | 'session', claims: Claims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${createHmac('sha256', this.key(purpose)).update(body).digest('base64url')}`;
  }

  private open(purpose: 'link' | 'session', token: string): Claims {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || token.length > 512) throw new SignInRefused('malformed');
    const expected = createHmac('sha256', this.key(purpose)).update(body).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new SignInRefused('forged');
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new SignInRefused('malformed');
    }
    const c = claims as Partial<Claims> | null;
    if (!c || typeof c.p !== 'string' || typeof c.n !== 'string' || typeof c.e !== 'number')
      throw new SignInRefused('malformed');
    return c as Claims;
  }
}
