import { AsyncLocalStorage } from 'node:async_hooks';
import { joinArgs, type Logger } from './logger';

/**
 * For SDKs that write to `console` and take no logger (dingtalk-stream prints
 * "connect success", "Disconnecting." and socket errors with `console.info`/`warn`/`error`):
 * what such an SDK prints while running inside `consoleTo(logger, …)` — and in every
 * callback, timer and socket event started from there, which inherit the scope — goes to
 * that logger instead, as one line. Anywhere else `console` is untouched: the methods are
 * wrapped once, and outside a scope they call the originals.
 */
const scope = new AsyncLocalStorage<{ readonly logger: Logger; readonly prefix: string }>();

const LEVELS = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' } as const;

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const method of Object.keys(LEVELS) as Array<keyof typeof LEVELS>) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const target = scope.getStore();
      if (target === undefined) return original(...args);
      // Outside the scope while our logger writes: a logger that prints to console must not loop.
      scope.exit(() => target.logger[LEVELS[method]](`${target.prefix} ${joinArgs(args)}`));
    };
  }
}

/** Runs `fn` with what it prints to console sent to `logger`, each line after `prefix`. */
export function consoleTo<T>(logger: Logger, prefix: string, fn: () => T): T {
  install();
  return scope.run({ logger, prefix }, fn);
}

/** Runs `fn` outside any such scope: our own work started from an SDK callback prints as usual. */
export function outsideConsoleScope<T>(fn: () => T): T {
  return scope.exit(fn);
}
