import type {
  AdapterHost,
  CommandInfo,
  HealthEvent,
  InboundMessage,
  MembershipChange,
  TicketSuggestion,
} from '../../src/core/chat';

/**
 * An AdapterHost for adapter tests: records what the adapter delivers and lets the test
 * decide how to answer (e.g. send a reply through the adapter from `onMessage`).
 */
export class RecordingHost implements AdapterHost {
  readonly received: InboundMessage[] = [];
  readonly health: HealthEvent[] = [];
  readonly membership: MembershipChange[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    private readonly options: {
      onMessage?: (message: InboundMessage) => Promise<void>;
      commands?: readonly CommandInfo[];
      suggestions?: readonly TicketSuggestion[];
    } = {},
  ) {}

  async handle(message: InboundMessage): Promise<void> {
    this.received.push(message);
    await this.options.onMessage?.(message);
    this.waiters = this.waiters.filter((w) => {
      if (this.received.length >= w.count) w.resolve();
      return this.received.length < w.count;
    });
  }

  commands(): readonly CommandInfo[] {
    return this.options.commands ?? [];
  }

  async suggestTickets(): Promise<readonly TicketSuggestion[]> {
    return this.options.suggestions ?? [];
  }

  reportHealth(event: HealthEvent): void {
    this.health.push(event);
  }

  async membershipChanged(change: MembershipChange): Promise<void> {
    this.membership.push(change);
  }

  /** Resolves once `count` messages have been handled (rejects after `ms`). */
  waitForMessages(count: number, ms = 5000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.received.length}/${count} messages arrived`)),
        ms,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}
