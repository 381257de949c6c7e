/** Routes outbound messages to the adapter of their platform. */
import type { ChatAdapter } from '../adapters/adapter';
import type { OutboundMessage, Platform, SentMessage } from './core/chat';
import type { Messenger } from './core/ports';

export class AdapterMessenger implements Messenger {
  private readonly adapters = new Map<Platform, ChatAdapter>();

  constructor(adapters: readonly ChatAdapter[] = []) {
    for (const a of adapters) this.register(a);
  }

  register(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  async send(message: OutboundMessage): Promise<SentMessage | undefined> {
    const adapter = this.adapters.get(message.platform);
    if (!adapter) throw new Error(`no ${message.platform} adapter is running`);
    return adapter.send(message);
  }
}
