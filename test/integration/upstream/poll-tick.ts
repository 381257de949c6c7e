/** Shared by the poll tests: one scheduler tick after moving the clock on, and what it did. */
import type { World } from '../web/world';

export interface SeenRequests {
  readonly seen: ReadonlyArray<{ readonly method: string; readonly url: string }>;
}

/** Returns the tracker requests the tick made (path only, decoded) and what chats got. */
export async function pollTick(
  w: World,
  peer: SeenRequests,
  minutes: number,
): Promise<{ gets: string[]; sent: string[] }> {
  w.clock.advance(minutes * 60_000);
  const [seen, sent] = [peer.seen.length, w.sent.length];
  await w.desk.sla.scheduler?.tick(w.clock.now());
  return {
    gets: peer.seen.slice(seen).map((r) => `${r.method} ${decodeURIComponent(r.url.replace(/\?.*/, ''))}`),
    sent: w.sent.slice(sent).map((m) => `[${m.chatId}] ${m.text}`),
  };
}
