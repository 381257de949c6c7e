/**
 * GET /healthz lists each configured platform as its adapter last reported it: a real QQ
 * adapter dialling the local OneBot peer is "connected", "not connected" (and the desk
 * "degraded") once the peer goes away, and connected again when it comes back.
 */
import { QqAdapter } from '../../../adapters/qq/qq.adapter';
import { ConnectionBoard } from '../../../src/core/connections';
import { ForwardPeer } from '../../fakes/onebot-peer';
import { qqConfig, recordingLogger } from '../qq/helpers';
import { type World, world } from './world';

interface Health {
  status: string;
  platforms?: Record<string, { status: string; since: string }>;
}

describe('GET /healthz and the platforms', () => {
  let w: World;
  let peer: ForwardPeer | undefined;
  let adapter: QqAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    await peer?.close();
    adapter = undefined;
    peer = undefined;
    await w.close();
  });

  const health = async (): Promise<Health> =>
    JSON.parse((await w.app.inject({ method: 'GET', url: '/healthz' })).body) as Health;
  /** Asks again until the adapter's report arrived (it crosses a real socket), at most ~5 s. */
  const until = async (wanted: (h: Health) => boolean): Promise<Health> => {
    for (let i = 0; i < 250; i++) {
      const h = await health();
      if (wanted(h)) return h;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return health();
  };

  it('says connected, then not connected and degraded when the OneBot peer goes away', async () => {
    const connections = new ConnectionBoard();
    w = await world({ connections });
    connections.expect('qq', w.clock.now());
    expect(await health()).toMatchObject({
      status: 'degraded',
      platforms: { qq: { status: 'not connected' } },
    });

    peer = await ForwardPeer.listen({ selfId: '30003', token: 'test-token-6f1c' });
    adapter = new QqAdapter(qqConfig({ ONEBOT_MODE: 'forward', ONEBOT_WS_URL: peer.url }), {
      log: recordingLogger().log,
      backoff: () => 20,
      retryDelaysMs: [10, 20],
    });
    await adapter.start(w.desk.host);
    const up = await until((h) => h.platforms?.qq?.status === 'connected');
    expect(up).toMatchObject({ status: 'ok', platforms: { qq: { status: 'connected' } } });
    expect(up.platforms?.qq?.since).toBe(new Date(w.clock.now()).toISOString());
    expect(JSON.stringify(up)).not.toContain('30003'); // the adapter's detail names the account

    peer.accepting = false;
    peer.dropAll();
    const down = await until((h) => h.platforms?.qq?.status === 'not connected');
    expect(down).toMatchObject({ status: 'degraded', platforms: { qq: { status: 'not connected' } } });

    peer.accepting = true;
    expect(await until((h) => h.status === 'ok')).toMatchObject({
      platforms: { qq: { status: 'connected' } },
    });
  });

  it('lists no platforms when none is configured (the playground)', async () => {
    w = await world({ connections: new ConnectionBoard() });
    expect(await health()).toEqual({ status: 'ok', store: 'ok', outbox: { waiting: 0, oldestAgeMs: 0 } });
  });
});
