import { type Client, Events, GatewayCloseCodes } from 'discord.js';
import type { HealthEvent } from '../../src/core/chat';

type Report = (state: HealthEvent['state'], detail: string) => void;

/**
 * Turns discord.js shard events into GroupDesk health states. discord.js reconnects and
 * resumes by itself; these only tell operators what happened.
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
 */
export function reportGatewayHealth(client: Client, report: Report): void {
  client.on(Events.ShardReady, () => report('up', 'gateway ready'));
  client.on(Events.ShardResume, (_id, replayed) => report('up', `gateway resumed, ${replayed} replayed`));
  client.on(Events.ShardReconnecting, () => report('down', 'gateway connection lost, reconnecting'));
  client.on(Events.ShardDisconnect, ({ code }) =>
    code === GatewayCloseCodes.AuthenticationFailed
      ? report('logged_out', `gateway closed with code ${code} (token rejected), not reconnecting`)
      : report('down', `gateway closed with code ${code}, not reconnecting`),
  );
  client.on(Events.ShardError, (error) => report('error', `gateway error: ${error.message}`));
  client.on(Events.Invalidated, () => report('logged_out', 'gateway session invalidated'));
}

/** discord.js's packet dispatcher: private API, hence the structural type. */
interface PacketDispatcher {
  handlePacket?: (packet?: unknown, shard?: unknown) => boolean;
}

/**
 * A malformed gateway packet (e.g. an INTERACTION_CREATE without `data`) makes
 * discord.js throw inside an async WebSocket handler; the rejection is unhandled and
 * would end the Node process. This wraps discord.js 14's packet dispatcher so such a
 * packet is logged and dropped instead. Returns false when the internals have changed.
 */
export function containMalformedPackets(
  client: Client,
  log: (message: string, error: unknown) => void,
): boolean {
  // Boundary with discord.js internals: `handlePacket` is private in its typings.
  const ws = client.ws as unknown as PacketDispatcher;
  const original = ws.handlePacket;
  if (typeof original !== 'function') return false;
  ws.handlePacket = (packet, shard) => {
    try {
      return original.call(ws, packet, shard);
    } catch (error) {
      const type = (packet as { t?: unknown } | undefined)?.t;
      log(`discord: dropped malformed ${String(type)} packet`, error);
      return true;
    }
  };
  return true;
}
