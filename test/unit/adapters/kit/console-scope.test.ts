/**
 * adapters/kit/console-scope.ts: what an SDK prints to console inside a scope reaches our
 * logger, through timers started there too; outside a scope console is untouched.
 */
import { consoleTo, outsideConsoleScope } from '../../../../adapters/kit/console-scope';
import type { Logger } from '../../../../adapters/kit/logger';

const lines: string[] = [];
const logger: Logger = {
  debug: (m) => lines.push(`debug ${m}`),
  info: (m) => lines.push(`info ${m}`),
  warn: (m) => lines.push(`warn ${m}`),
  error: (m) => lines.push(`error ${m}`),
};

// Spied before the scope wraps console: the spies stand for what reaches the terminal.
const printed = {
  info: jest.spyOn(console, 'info').mockImplementation(() => undefined),
  warn: jest.spyOn(console, 'warn').mockImplementation(() => undefined),
  error: jest.spyOn(console, 'error').mockImplementation(() => undefined),
};

beforeEach(() => {
  lines.length = 0;
  for (const spy of Object.values(printed)) spy.mockClear();
});

test('inside a scope console lines go to the logger at their level, as one line after the prefix', () => {
  consoleTo(logger, '[sdk]', () => {
    console.info('[2026-12-07T00:00:00.000Z] connect success');
    console.warn('ERROR', new Error('socket hang up'));
    console.error('send: messageId must be defined');
  });
  expect(lines).toEqual([
    'info [sdk] [2026-12-07T00:00:00.000Z] connect success',
    'warn [sdk] ERROR socket hang up',
    'error [sdk] send: messageId must be defined',
  ]);
  for (const spy of Object.values(printed)) expect(spy).not.toHaveBeenCalled();
});

test('timers and promises started in the scope stay in it; outside it console is untouched', async () => {
  await consoleTo(logger, '[sdk]', async () => {
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        console.info('Reconnecting');
        resolve();
      }, 1),
    );
    outsideConsoleScope(() => console.info('the desk at work'));
  });
  console.warn('not the SDK');
  expect(lines).toEqual(['info [sdk] Reconnecting']);
  expect(printed.info).toHaveBeenCalledWith('the desk at work');
  expect(printed.warn).toHaveBeenCalledWith('not the SDK');
});

test('a logger that itself prints to console does not loop', () => {
  const viaConsole: Logger = { ...logger, info: (m) => console.info(`[dingtalk] ${m}`) };
  consoleTo(viaConsole, '[sdk]', () => console.info('Disconnecting.'));
  expect(printed.info).toHaveBeenCalledWith('[dingtalk] [sdk] Disconnecting.');
});
