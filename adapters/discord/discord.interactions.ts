import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import type { SentMessage } from '../../src/core/chat';
import { clientAllowedMentions, type RenderedPart } from './discord.render';

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction;

/**
 * The private reply channel of one deferred interaction. Discord gives 3 s for the first
 * response and 15 min for the rest, so the interaction is deferred (ephemeral) at once;
 * the host's private replies then replace the "thinking…" placeholder (`editReply`) and
 * further ones follow up (ephemeral). Replies run in order.
 * https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
 */
export class InteractionReplies {
  private originalUsed = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly interaction: RepliableInteraction) {}

  /** The user who may see these replies. */
  get userId(): string {
    return this.interaction.user.id;
  }

  /** Must be awaited within 3 s of the interaction's arrival. */
  async defer(): Promise<void> {
    await this.interaction.deferReply({ flags: MessageFlags.Ephemeral });
  }

  /** Queues one rendered message; resolves with the id of its first part. */
  send(parts: readonly RenderedPart[]): Promise<SentMessage> {
    const run = this.chain.then(async () => {
      const ids: string[] = [];
      for (const part of parts) {
        const options = {
          content: part.content,
          allowedMentions: clientAllowedMentions(part.mentionIds),
          components: part.components ? [...part.components] : [],
          embeds: part.embeds ? [...part.embeds] : [],
        };
        const sent = this.originalUsed
          ? await this.interaction.followUp({ ...options, flags: MessageFlags.Ephemeral })
          : await this.interaction.editReply(options);
        this.originalUsed = true;
        ids.push(sent.id);
      }
      return { messageId: ids[0] ?? '' };
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Called once the host has handed over every reply: waits for them and removes the
   * placeholder when no private reply replaced it (e.g. the answer was public).
   */
  async finish(): Promise<void> {
    await this.chain;
    if (!this.originalUsed) await this.interaction.deleteReply();
  }
}
