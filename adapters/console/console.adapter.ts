/**
 * The local console playground: each stdin line is a message from the current speaker in
 * the current group; `:as`, `:in`, `:clock`, `:again`, `:help` and `:quit` steer it.
 * When stdin is not a terminal it plays the whole transcript, finishes pending work and
 * resolves `finished`, so conversations can be scripted and diffed.
 */
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AdapterHost, InboundMessage, OutboundMessage, SentMessage } from '../../src/core/chat';
import type { ChatAdapter } from '../adapter';
import { render, toInbound } from './console.mapper';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Printed at start and on `:help`. */
  readonly guide: string;
  /** Moves the playground's clock (and the scheduler's) forward. */
  readonly advanceClock: (ms: number) => Promise<void>;
  /** Notes for the person at the keyboard (clock moves, errors); stderr by default. */
  readonly note?: (text: string) => void;
  readonly speaker?: string;
  readonly group?: string;
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  private speaker: string;
  private group: string;
  private last: InboundMessage | undefined;
  private counter = 0;
  private readonly run = randomUUID().slice(0, 8);
  private rl: readline.Interface | undefined;
  private resolveFinished: () => void = () => {};
  /** Resolves when the input has ended (or `:quit`) and every line has been handled. */
  readonly finished = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  constructor(private readonly options: ConsoleOptions) {
    this.speaker = options.speaker ?? 'alice';
    this.group = options.group ?? 'acme';
  }

  async start(host: AdapterHost): Promise<void> {
    this.options.output.write(`${this.options.guide}\n`);
    const rl = readline.createInterface({ input: this.options.input, terminal: false });
    this.rl = rl;
    void (async () => {
      try {
        for await (const line of rl) {
          if (!(await this.line(host, line))) break;
        }
      } finally {
        rl.close();
        this.resolveFinished();
      }
    })();
  }

  async send(message: OutboundMessage): Promise<SentMessage> {
    this.options.output.write(render(message));
    return { messageId: `out-${++this.counter}` };
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  /** Handles one line; false means quit. */
  private async line(host: AdapterHost, raw: string): Promise<boolean> {
    const line = raw.trim();
    if (!line || line.startsWith('# ')) return true; // blank lines and '# comments' in transcripts
    const [word, arg = ''] = line.split(/\s+/, 2);
    switch (word) {
      case ':quit':
        return false;
      case ':help':
        this.options.output.write(`${this.options.guide}\n`);
        return true;
      case ':as':
        if (arg) this.speaker = arg;
        return true;
      case ':in':
        if (arg) this.group = arg;
        return true;
      case ':clock': {
        const m = /^\+(\d{1,5})([mhd])$/.exec(arg);
        if (!m) this.note(`:clock takes +30m, +25h or +2d (got "${arg}")`);
        else await this.options.advanceClock(Number(m[1]) * UNITS[m[2]!]!);
        return true;
      }
      case ':again':
        // Redelivers the previous message with the same id, as platforms do on retries.
        if (this.last) await host.handle(this.last);
        return true;
    }
    if (word?.startsWith(':')) {
      this.note(`unknown playground command ${word}; try :help`);
      return true;
    }
    this.last = toInbound(line, this.speaker, this.group, `${this.run}-${++this.counter}`);
    await host.handle(this.last);
    return true;
  }

  private note(text: string): void {
    (this.options.note ?? ((t: string) => process.stderr.write(`${t}\n`)))(text);
  }
}
