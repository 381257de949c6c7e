import { type Logger, LogLevel } from '@slack/bolt';

/** The logging the adapter needs; `console` fits. Lines are English, for operators. */
export interface AdapterLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/**
 * Adapts an {@link AdapterLogger} to the Logger interface Bolt, the Web API client and the
 * Socket Mode client expect (they set and read a level), prefixing every line.
 */
export function toBoltLogger(target: AdapterLogger, name = 'slack'): Logger {
  let level = LogLevel.INFO;
  let prefix = `[${name}]`;
  const at =
    (wanted: LogLevel, write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (ORDER[wanted] >= ORDER[level]) write(prefix, ...args);
    };
  return {
    debug: at(LogLevel.DEBUG, (...a) => target.debug(...a)),
    info: at(LogLevel.INFO, (...a) => target.info(...a)),
    warn: at(LogLevel.WARN, (...a) => target.warn(...a)),
    error: at(LogLevel.ERROR, (...a) => target.error(...a)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      prefix = `[${name}:${next}]`;
    },
  };
}
