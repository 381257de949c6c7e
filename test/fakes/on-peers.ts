/**
 * The Feishu and DingTalk adapters started against their local fakes, as the burst test and
 * the platform benchmark use them: HTTP callbacks for Feishu, the Stream connection open for
 * DingTalk.
 */
import { DingtalkAdapter, type DingtalkTiming } from '../../adapters/dingtalk/dingtalk.adapter';
import { dingtalkConfigSchema } from '../../adapters/dingtalk/dingtalk.config';
import { FeishuAdapter } from '../../adapters/feishu/feishu.adapter';
import { feishuConfigSchema } from '../../adapters/feishu/feishu.config';
import type { FeishuTiming } from '../../adapters/feishu/feishu.sender';
import { silentLogger } from '../../src/core/logger';
import { CLIENT_ID, CLIENT_SECRET, DingtalkPeer } from './dingtalk-peer';
import { APP_ID, APP_SECRET, ENCRYPT_KEY, FeishuPeer, VERIFICATION_TOKEN } from './feishu-peer';
import { RecordingHost } from './recording-host';

export async function feishuOnPeer(
  timing: Partial<FeishuTiming>,
): Promise<{ peer: FeishuPeer; adapter: FeishuAdapter }> {
  const peer = await FeishuPeer.start();
  const adapter = new FeishuAdapter(
    feishuConfigSchema.parse({
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: APP_SECRET,
      FEISHU_DOMAIN: peer.url,
      FEISHU_MODE: 'http',
      FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_HOST: '127.0.0.1',
      FEISHU_PORT: '0',
    }),
    { logger: silentLogger, timing },
  );
  await adapter.start(new RecordingHost());
  return { peer, adapter };
}

export async function dingtalkOnPeer(
  timing: Partial<DingtalkTiming>,
): Promise<{ peer: DingtalkPeer; adapter: DingtalkAdapter }> {
  const peer = await DingtalkPeer.start();
  const adapter = new DingtalkAdapter(
    dingtalkConfigSchema.parse({
      DINGTALK_CLIENT_ID: CLIENT_ID,
      DINGTALK_CLIENT_SECRET: CLIENT_SECRET,
      DINGTALK_API_BASE: peer.url,
    }),
    { logger: silentLogger, timing },
  );
  await adapter.start(new RecordingHost());
  await peer.connected();
  return { peer, adapter };
}
