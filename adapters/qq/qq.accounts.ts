import type { OneBotConnection } from './onebot.connection';

/** No connection for the wanted account came up in time; the caller should keep the message and retry later. */
export class QqNotConnectedError extends Error {
  override readonly name = 'QqNotConnectedError';
  constructor(
    readonly account: string | undefined,
    detail: string,
  ) {
    super(
      `no OneBot connection for ${account === undefined ? 'any QQ account' : `QQ account ${account}`}: ${detail}`,
    );
  }
}

interface Waiter {
  readonly account: string | undefined;
  readonly resolve: (connection: OneBotConnection) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The live connection of each QQ account (one per self id; a newer one replaces the older),
 * and the sends waiting for one to come (back) up.
 */
export class QqAccounts {
  private readonly byAccount = new Map<string, OneBotConnection>();
  private readonly waiters = new Set<Waiter>();

  /** Registers `connection` for its account; returns the connection it replaces, if any. */
  register(account: string, connection: OneBotConnection): OneBotConnection | undefined {
    const previous = this.byAccount.get(account);
    this.byAccount.delete(account);
    this.byAccount.set(account, connection);
    for (const waiter of this.waiters) {
      if (waiter.account === undefined || waiter.account === account) this.settle(waiter, connection);
    }
    return previous === connection ? undefined : previous;
  }

  /** Forgets `connection` if it is still the current one for its account; true when it was. */
  unregister(account: string, connection: OneBotConnection): boolean {
    if (this.byAccount.get(account) !== connection) return false;
    this.byAccount.delete(account);
    return true;
  }

  get(account: string): OneBotConnection | undefined {
    return this.byAccount.get(account);
  }

  /** Accounts with a registered connection, oldest first. */
  list(): string[] {
    return [...this.byAccount.keys()];
  }

  /**
   * The open connection for `account` (or, without one, the first open connection), waiting
   * up to `timeoutMs` for one to register when none is up.
   */
  acquire(account: string | undefined, timeoutMs: number): Promise<OneBotConnection> {
    const now = this.current(account);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        account,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new QqNotConnectedError(account, `none came up within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects every waiting acquire (on stop) and forgets all connections. */
  clear(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new QqNotConnectedError(waiter.account, reason));
    }
    this.waiters.clear();
    this.byAccount.clear();
  }

  private current(account: string | undefined): OneBotConnection | undefined {
    if (account !== undefined) {
      const connection = this.byAccount.get(account);
      return connection?.isOpen ? connection : undefined;
    }
    for (const connection of this.byAccount.values()) if (connection.isOpen) return connection;
    return undefined;
  }

  private settle(waiter: Waiter, connection: OneBotConnection): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(connection);
  }
}
