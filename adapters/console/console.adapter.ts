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
import { type DisplayName, render, toInbound } from './console.mapper';

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
  /**
   * Who can speak and where (`:as`, `:in` refuse other names); every name is accepted when absent.
   * Asked on each `:as`/`:in`, so people and groups added meanwhile (the CLI, /bind) count.
   */
  readonly known?: () => Promise<{ readonly people: readonly string[]; readonly places: readonly string[] }>;
  /** Texts for the person at the keyboard (`playground.*` locale keys). */
  readonly say?: (key: string, params: Record<string, string>) => string;
  /**
   * `:reset yes`: wipes the playground's data and seeds a fresh demo, returning the new desk's
   * host (absent: `:reset` says it cannot). The same input goes on, so a script can reset midway.
   */
  readonly reset?: () => Promise<AdapterHost>;
  /** Shows a `alice@acme> ` prompt; by default when the input is a terminal (never when piped). */
  readonly interactive?: boolean;
  /**
   * The display name sent for a speaker or a mention (tests: a name no keyboard line can
   * carry, such as one with a newline); the name itself when absent.
   */
  readonly displayName?: DisplayName;
}

/** A line the bot printed (`render` below), or a continuation of one. */
const BOT_LINE = /^\[[^\]\s]+\] groupdesk: /;
const MARGIN_NOTE = /\s{2,}←.*$/;
const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  private speaker: string;
  private group: string;
  private last: InboundMessage | undefined;
  private inEcho = false;
  private host: AdapterHost | undefined;
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
    const interactive =
      this.options.interactive ?? (this.options.input as { isTTY?: boolean }).isTTY === true;
    const prompt = () => {
      if (interactive) this.options.output.write(`${this.speaker}@${this.group}> `);
    };
    this.host = host;
    prompt();
    void (async () => {
      try {
        for await (const line of rl) {
          if (!(await this.line(this.host ?? host, line))) break;
          prompt();
        }
      } finally {
        rl.close();
        this.resolveFinished();
      }
    })();
  }

  /** Who speaks where now (after `:as` and `:in`). */
  get current(): { readonly speaker: string; readonly group: string } {
    return { speaker: this.speaker, group: this.group };
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
    // A pasted transcript replays as typed: the bot's lines (`[acme] groupdesk: …` and their
    // indented continuations) are skipped, and a `   ← alice in acme` margin note is dropped.
    const echo = BOT_LINE.test(raw) || (this.inEcho && /^\s/.test(raw));
    this.inEcho = echo;
    if (echo) return true;
    const line = raw.replace(MARGIN_NOTE, '').trim();
    if (!line || line.startsWith('# ')) return true; // blank lines and '# comments' in transcripts
    const [word, arg = ''] = line.split(/\s+/, 2);
    switch (word) {
      case ':quit':
        return false;
      case ':reset':
        if (!this.options.reset) this.note(this.text('playground.reset_unavailable', {}));
        else if (arg !== 'yes') this.note(this.text('playground.reset_confirm', {}));
        else {
          this.host = await this.options.reset();
          this.last = undefined;
          this.speaker = this.options.speaker ?? 'alice';
          this.group = this.options.group ?? 'acme';
          this.note(this.text('playground.reset_done', {}));
          this.note(this.text('playground.now', { speaker: this.speaker, group: this.group }));
        }
        return true;
      case ':help':
        this.options.output.write(`${this.options.guide}\n`);
        return true;
      case ':as':
      case ':in':
        await this.move(word, arg);
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
    this.last = toInbound(
      line,
      this.speaker,
      this.group,
      `${this.run}-${++this.counter}`,
      this.options.displayName,
    );
    await host.handle(this.last);
    return true;
  }

  /** `:as NAME` / `:in PLACE`: confirmed with who is where now, or refused with the known names. */
  private async move(word: ':as' | ':in', arg: string): Promise<void> {
    // The names come from the store; while it is unreachable (an outage) every name is taken,
    // so the playground keeps working and its messages are kept like any other.
    const known = await this.options.known?.().catch(() => undefined);
    const names = word === ':as' ? known?.people : known?.places;
    if (!arg || (names && !names.includes(arg))) {
      const key = word === ':as' ? 'playground.unknown_person' : 'playground.unknown_place';
      this.note(this.text(key, { name: arg, known: (names ?? []).join(', ') }));
      return;
    }
    if (word === ':as') this.speaker = arg;
    else this.group = arg;
    this.note(this.text('playground.now', { speaker: this.speaker, group: this.group }));
  }

  private text(key: string, params: Record<string, string>): string {
    return this.options.say?.(key, params) ?? `${key} ${JSON.stringify(params)}`;
  }

  private note(text: string): void {
    (this.options.note ?? ((t: string) => process.stderr.write(`${t}\n`)))(text);
  }
}
