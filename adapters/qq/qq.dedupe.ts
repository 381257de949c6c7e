import { createHash } from 'node:crypto';
import { RecentCache } from '../kit/cache';

/**
 * Which bot account first delivered each group message (keyed by the mapper's `copyKey`),
 * so that when two of the desk's accounts sit in one group the message is handled once,
 * by whichever account reported it first; that account also answers it. Bounded: the
 * first-recorded message is forgotten first (a later claim does not refresh it). Keys are
 * hashed: they hold whole message texts.
 */
export class FirstAccount {
  private readonly owners: RecentCache<string>;

  constructor(capacity = 10_000) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
    this.owners = new RecentCache<string>({ max: capacity, order: 'insertion' });
  }

  /**
   * True when `account` should deliver the message: nobody has yet, or it did itself (the
   * same client gave it another id, so it is a second message that merely looks the same).
   */
  claim(copyKey: string, account: string): boolean {
    const key = createHash('sha256').update(copyKey).digest('base64');
    const owner = this.owners.get(key);
    if (owner !== undefined) return owner === account;
    this.owners.set(key, account);
    return true;
  }
}
