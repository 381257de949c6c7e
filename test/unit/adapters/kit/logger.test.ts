import { LogLevel } from '@slack/bolt';
import { errorFields, joinArgs, levelledSdkLogger } from '../../../../adapters/kit/logger';
import type { Logger } from '../../../../src/core/logger';

function recording(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('the adapter kit logger', () => {
  it('errorFields carries the message a JSON logger would otherwise print as {}', () => {
    const error = new Error('gateway closed');
    expect(JSON.stringify({ error })).toBe('{"error":{}}');
    expect(JSON.stringify(errorFields(error))).toBe('{"error":"gateway closed"}');
    expect(errorFields('plain')).toEqual({ error: 'plain' });
  });

  it('joinArgs turns console-style arguments into one line', () => {
    expect(joinArgs(['Bolt error', new Error('boom'), { status: 429 }, 3])).toBe(
      'Bolt error boom {"status":429} 3',
    );
  });

  it("adapts to Bolt's Logger with its own level and name, writing to the core Logger", () => {
    const { logger, lines } = recording();
    const bolt = levelledSdkLogger(logger, 'slack', {
      debug: LogLevel.DEBUG,
      info: LogLevel.INFO,
      warn: LogLevel.WARN,
      error: LogLevel.ERROR,
    });
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    bolt.debug('request body', { text: 'customer secret' }); // below INFO: dropped
    bolt.warn('rate limited', new Error('retry after 1 s'));
    bolt.setName('web-api');
    bolt.setLevel(LogLevel.ERROR);
    bolt.warn('dropped too');
    bolt.error('failed');
    expect(bolt.getLevel()).toBe(LogLevel.ERROR);
    expect(lines).toEqual(['warn [slack] rate limited retry after 1 s', 'error [slack:web-api] failed']);
  });
});
