/**
 * What the dingtalk-stream SDK prints reaches GroupDesk's logger, not the terminal: its
 * "connect success" (after a reconnect too) and "Disconnecting.", and its debug lines with
 * the socket's one-time ticket cut out. The desk's own work, started from the SDK's
 * callback, is not taken for the SDK's.
 */
import { type DingtalkDesk, DT, startDingtalkDesk } from './dingtalk.desk.harness';

// Spied before the adapter first wraps console: the spies stand for what reaches the terminal.
const printed = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
  jest.spyOn(console, m).mockImplementation(() => undefined),
);

let d: DingtalkDesk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

test('the SDK prints nothing to the console: its lines are our log lines', async () => {
  d = await startDingtalkDesk();
  const desk = d;
  await desk.say(DT.alice, DT.acme, 'printer on fire');
  desk.peer.dropConnection();
  await desk.peer.connected();
  await desk.log.waitFor(/connect success/, 5000, 2);
  await desk.adapter.stop();

  const sdk = desk.log.lines.filter((l) => l.includes('[dingtalk-sdk]'));
  expect(sdk.filter((l) => /^info \[dingtalk-sdk\] \[[\d\-T:.Z]+\] connect success$/.test(l))).toHaveLength(
    2,
  );
  expect(sdk).toContain('info [dingtalk-sdk] Disconnecting.');
  // The debug lines name the socket URL, without the ticket that opens it.
  const urls = sdk.filter((l) => l.startsWith('debug') && l.includes('/connect'));
  expect(urls.length).toBeGreaterThan(0);
  for (const line of urls) expect(line).toMatch(/ticket=…/);
  expect(sdk.join('\n')).not.toMatch(/ticket=[0-9a-f-]{8,}/);
  for (const spy of printed) expect(spy).not.toHaveBeenCalled();
}, 10_000);
