import { type QqConfig, qqConfigSchema } from '../../../adapters/qq/qq.config';
import type { HealthEvent } from '../../../src/core/chat';
import type { Logger } from '../../../src/core/logger';
import { RecordingHost } from '../../fakes/recording-host';

export const TOKEN = 'test-token-6f1c';

export interface LogLine {
  readonly level: keyof Logger;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every line, so tests can assert that something was logged and dropped. */
export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  return { log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Parses config the way the composition root will, from environment-style strings. */
export function qqConfig(env: Record<string, string>): QqConfig {
  return qqConfigSchema.parse({
    ONEBOT_WS_HOST: '127.0.0.1',
    ONEBOT_WS_PORT: '0',
    ONEBOT_ACCESS_TOKEN: TOKEN,
    ONEBOT_SEND_INTERVAL_MS: '0',
    ONEBOT_ACTION_TIMEOUT_MS: '3000',
    ...env,
  });
}

/** Closes everything registered during a test, last first, even when the test failed. */
export class Cleanup {
  private readonly steps: Array<() => Promise<void> | void> = [];

  add<T>(value: T, close: (value: T) => Promise<void> | void): T {
    this.steps.push(() => close(value));
    return value;
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) await this.steps.pop()?.();
  }
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A RecordingHost that can also await health reports. */
export class HealthHost extends RecordingHost {
  private healthWaiters: Array<() => void> = [];

  override reportHealth(event: HealthEvent): void {
    super.reportHealth(event);
    for (const check of [...this.healthWaiters]) check();
  }

  /** Resolves once `count` health events of `state` have been reported. */
  waitForHealth(state: HealthEvent['state'], count: number, ms = 5000): Promise<void> {
    const ready = () => this.health.filter((h) => h.state === state).length >= count;
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.healthWaiters = this.healthWaiters.filter((w) => w !== check);
        reject(new Error(`no ${count}× ${state} health event: ${JSON.stringify(this.health)}`));
      }, ms);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.healthWaiters = this.healthWaiters.filter((w) => w !== check);
        resolve();
      };
      this.healthWaiters.push(check);
    });
  }
}
