import type { AdapterHost, OutboundMessage, Platform, SentMessage } from '../src/core/chat';

/**
 * One chat platform. An adapter knows nothing of tickets: it turns platform events into
 * `InboundMessage`s for `host.handle`, and `OutboundMessage`s into platform calls.
 * It owns its connections and timers: after `stop()` resolves nothing of it is left running.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Connects and starts delivering inbound messages to the host. Resolves once ready. */
  start(host: AdapterHost): Promise<void>;
  /** Sends one message; splits long text itself. Rejects when the platform refuses it. */
  send(message: OutboundMessage): Promise<SentMessage>;
  stop(): Promise<void>;
}
