/**
 * Work an adapter does after it has answered the platform (Slack's ack, Feishu's 200),
 * in arrival order per chat and concurrently across chats, so that a follow-up is never
 * handled before the question it follows. A task's failure is reported and ends nothing
 * else; `idle()` waits for everything queued so far (at stop).
 */
export class ChatLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly onError: (what: string, error: unknown) => void) {}

  run(chat: string, what: string, work: () => Promise<void>): void {
    const previous = this.tails.get(chat) ?? Promise.resolve();
    const run = previous.then(work).catch((error: unknown) => this.onError(what, error));
    this.tails.set(chat, run);
    this.inflight.add(run);
    void run.finally(() => {
      this.inflight.delete(run);
      if (this.tails.get(chat) === run) this.tails.delete(chat);
    });
  }

  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}
