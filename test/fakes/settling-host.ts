import type {
  AdapterHost,
  CommandInfo,
  HealthEvent,
  InboundMessage,
  MembershipChange,
  TicketSuggestion,
} from '../../src/core/chat';

/**
 * Wraps the desk's own host for full-stack adapter tests: everything passes through, and
 * each message is recorded once the desk has finished with it — replies sent and the
 * announcements to other chats (which run outside the chat's queue) done — so a test
 * awaits exactly that instead of sleeping. Health events and membership changes are
 * recorded too.
 */
export class SettlingHost implements AdapterHost {
  readonly handled: InboundMessage[] = [];
  readonly health: HealthEvent[] = [];
  readonly membership: MembershipChange[] = [];
  private waiters: Array<() => boolean> = [];

  constructor(private readonly inner: AdapterHost) {}

  async handle(message: InboundMessage): Promise<void> {
    try {
      await this.inner.handle(message);
      await (this.inner as { idle?: () => Promise<void> }).idle?.();
    } finally {
      this.handled.push(message);
      this.notify();
    }
  }

  commands(): readonly CommandInfo[] {
    return this.inner.commands();
  }

  suggestTickets(query: Parameters<AdapterHost['suggestTickets']>[0]): Promise<readonly TicketSuggestion[]> {
    return this.inner.suggestTickets(query);
  }

  reportHealth(event: HealthEvent): void {
    this.inner.reportHealth(event);
    this.health.push(event);
    this.notify();
  }

  async membershipChanged(change: MembershipChange): Promise<void> {
    try {
      await this.inner.membershipChanged(change);
    } finally {
      this.membership.push(change);
      this.notify();
    }
  }

  /** Resolves once `check()` holds, re-checked after every recorded event; rejects after `ms`. */
  waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        if (!check()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      this.waiters.push(done);
    });
  }

  /** Resolves once `count` messages in total have been fully handled by the desk. */
  waitHandled(count: number, ms = 5000): Promise<void> {
    return this.waitFor(
      () => this.handled.length >= count,
      `${count} handled messages (${this.handled.length} so far)`,
      ms,
    );
  }

  private notify(): void {
    this.waiters = this.waiters.filter((done) => !done());
  }
}
