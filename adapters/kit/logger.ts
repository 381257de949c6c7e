import type { Logger } from '../../src/core/logger';

/**
 * Every adapter logs through the core Logger (`message`, structured `fields`), the port the
 * composition root hands it. This module holds what the adapters used to repeat: a console
 * default for when no logger is given, the fields for a caught error, and the adaptor for
 * SDKs that want a console-style, levelled logger of their own (Bolt and the Slack clients).
 */
export type { Logger };

export type LevelName = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Readonly<Record<LevelName, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** What went wrong, as fields every logger prints (an Error object itself serialises as `{}` in JSON). */
export function errorFields(error: unknown): { error: string } {
  return { error: error instanceof Error ? error.message : String(error) };
}

/** The adapter's default when none is given (tests, scripts): one console line per entry, no debug. */
export function consoleLogger(name: string): Logger {
  const line = (write: (...args: unknown[]) => void) => (message: string, fields?: Record<string, unknown>) =>
    write(
      `[${name}] ${message}`,
      ...(fields && Object.keys(fields).length > 0 ? [JSON.stringify(fields)] : []),
    );
  return {
    debug: () => undefined,
    info: line(console.info),
    warn: line(console.warn),
    error: line(console.error),
  };
}

/** Joins console-style arguments into one message: strings as they are, errors by their message, the rest as JSON. */
export function joinArgs(args: readonly unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg instanceof Error) return arg.message;
      try {
        return JSON.stringify(arg) ?? String(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
}

/** The logger shape of SDKs that log like `console` and let their caller set a level and a name. */
export interface LevelledSdkLogger<L> {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  setLevel(level: L): void;
  getLevel(): L;
  setName(name: string): void;
}

/**
 * Adapts the core Logger to a {@link LevelledSdkLogger}: `levels` maps the SDK's level values
 * (e.g. Bolt's `LogLevel` enum) to ours, so the result is the SDK's own type without a cast.
 * Lines below the SDK's level are dropped here; the target filters again by its own level.
 */
export function levelledSdkLogger<L>(
  target: Logger,
  name: string,
  levels: Readonly<Record<LevelName, L>>,
  initial: LevelName = 'info',
): LevelledSdkLogger<L> {
  let level: LevelName = initial;
  let prefix = `[${name}]`;
  const at =
    (wanted: LevelName) =>
    (...args: unknown[]) => {
      if (ORDER[wanted] >= ORDER[level]) target[wanted](`${prefix} ${joinArgs(args)}`);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (next) => {
      const found = (Object.keys(levels) as LevelName[]).find((key) => levels[key] === next);
      if (found !== undefined) level = found;
    },
    getLevel: () => levels[level],
    setName: (next) => {
      prefix = `[${name}:${next}]`;
    },
  };
}
