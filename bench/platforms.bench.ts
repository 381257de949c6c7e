/**
 * Outbox throughput per platform: rows written to the embedded store's outbox, claimed and
 * sent by the real OutboxSender through each real adapter (its SDK and its protocol) to the
 * local peer the tests use, which accepts at once, and settled. Per-chat pacing is off here so
 * that the figure is the cost of our path plus the SDK's; the shipped pacing caps each chat
 * far lower (`pacedCeilingPerChat`, from each adapter's default) and is what a platform allows.
 * Every row must arrive at the peer: a part whose peer counted fewer than it sent fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { DiscordAdapter } from '../adapters/discord/discord.adapter';
import { discordConfigSchema } from '../adapters/discord/discord.config';
import { QqAdapter } from '../adapters/qq/qq.adapter';
import { qqConfigSchema } from '../adapters/qq/qq.config';
import { SlackAdapter } from '../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../adapters/slack/slack.config';
import { WechatAdapter } from '../adapters/wechat/wechat.adapter';
import type { ChatUser, OutboundMessage, Platform, SentMessage } from '../src/core/chat';
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { OutboxSender } from '../src/outbox/sender';
import { openSqliteStore, sqliteFileIn } from '../src/store/sqlite';
import { DiscordPeer } from '../test/fakes/discord-peer';
import { dingtalkOnPeer, feishuOnPeer } from '../test/fakes/on-peers';
import { ReversePeer } from '../test/fakes/onebot-peer';
import { RecordingHost } from '../test/fakes/recording-host';
import { FakeSlackApi } from '../test/fakes/slack-api';
import { percentile, round } from './figures';

/** One adapter connected to its local peer, and how to count what the peer received. */
interface Connected {
  readonly platform: Platform;
  readonly chats: readonly string[];
  /** Milliseconds between two sends to one chat with the adapter's shipped defaults. */
  readonly shippedPerChatMs: number;
  send(message: OutboundMessage): Promise<SentMessage>;
  received(): number;
  close(): Promise<void>;
}

export interface PlatformFigures {
  platform: Platform;
  rows: number;
  chats: number;
  rowsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  delivered: number;
  pacedCeilingPerChat: number;
}

const bench: ChatUser = { id: 'bench', name: 'bench' };

async function qq(): Promise<Connected> {
  const token = 'bench-token';
  const adapter = new QqAdapter(
    qqConfigSchema.parse({
      ONEBOT_WS_HOST: '127.0.0.1',
      ONEBOT_WS_PORT: '0',
      ONEBOT_ACCESS_TOKEN: token,
      ONEBOT_SEND_INTERVAL_MS: '0',
    }),
    { log: silentLogger, pingIntervalMs: 0 },
  );
  await adapter.start(new RecordingHost());
  const peer = await ReversePeer.dial(`ws://127.0.0.1:${adapter.port}/onebot/v11/ws`, {
    selfId: '10001',
    token,
  });
  await new Promise((resolve) => setTimeout(resolve, 50)); // the adapter's lifecycle hello
  return {
    platform: 'qq',
    chats: ['100200301', '100200302', '100200303', '100200304'],
    shippedPerChatMs: 1000,
    send: (m) => adapter.send(m),
    received: () => peer.received('send_group_msg').length,
    close: async () => {
      await peer.close();
      await adapter.stop();
    },
  };
}

async function slack(): Promise<Connected> {
  const fake = await FakeSlackApi.start();
  const adapter = new SlackAdapter(
    slackConfigSchema.parse({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      SLACK_HOST: '127.0.0.1',
      SLACK_PORT: '0',
      SLACK_API_URL: fake.apiUrl,
    }),
    { logger: silentLogger, timing: { perChannelMs: 0 } },
  );
  await adapter.start(new RecordingHost());
  return {
    platform: 'slack',
    chats: ['C1', 'C2', 'C3', 'C4'],
    shippedPerChatMs: 1000,
    send: (m) => adapter.send(m),
    received: () => fake.callsOf('chat.postMessage').length,
    close: async () => {
      await adapter.stop();
      await fake.close();
    },
  };
}

async function discord(): Promise<Connected> {
  const channels = ['300000000000000011', '300000000000000012', '300000000000000013', '300000000000000014'];
  const peer = await DiscordPeer.start({
    botId: '100000000000000002',
    applicationId: '100000000000000001',
    guilds: [{ id: '200000000000000001', channels: channels.map((id, i) => ({ id, name: `acme-${i}` })) }],
  });
  const adapter = new DiscordAdapter(
    discordConfigSchema.parse({
      DISCORD_TOKEN: 'test-token',
      DISCORD_APPLICATION_ID: '100000000000000001',
      DISCORD_GUILD_IDS: '200000000000000001',
      DISCORD_API_URL: peer.apiUrl,
    }),
    { logger: silentLogger },
  );
  await adapter.start(new RecordingHost());
  return {
    platform: 'discord',
    chats: channels,
    // discord.js follows Discord's rate-limit headers: about 5 per 5 s per channel.
    shippedPerChatMs: 1000,
    send: (m) => adapter.send(m),
    received: () =>
      peer.calls.filter((c) => c.method === 'POST' && /\/channels\/\d+\/messages$/.test(c.path)).length,
    close: async () => {
      await adapter.stop();
      await peer.close();
    },
  };
}

async function wechat(): Promise<Connected> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'groupdesk-bench-wechat-'));
  const host = new RecordingHost();
  const adapter = new WechatAdapter(
    {
      puppet: 'wechaty-puppet-mock',
      puppetOptions: {},
      name: 'bench-bot',
      syncMembers: false,
      sendIntervalMs: 0,
      globalSendIntervalMs: 0,
      maxText: 1800,
    },
    { dataDir, puppet, logger: silentLogger, qrOutput: { write: () => true } },
  );
  await adapter.start(host);
  const bot = mocker.createContact({ name: 'DeskBot' });
  const alice = mocker.createContact({ name: 'Alice' });
  const rooms = [1, 2, 3, 4].map((i) =>
    mocker.createRoom({ topic: `Acme ${i}`, memberIdList: [bot.id, alice.id] }),
  );
  let received = 0;
  for (const room of rooms)
    room.on('message', (m) => {
      if (m.talker().id === bot.id) received++;
    });
  mocker.login(bot);
  while (!host.health.some((h) => h.state === 'up')) await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    platform: 'wechat',
    chats: rooms.map((r) => r.id),
    shippedPerChatMs: 1500,
    send: (m) => adapter.send(m),
    received: () => received,
    close: async () => {
      await adapter.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function feishu(): Promise<Connected> {
  const { peer, adapter } = await feishuOnPeer({ perChatMs: 0 });
  return {
    platform: 'feishu',
    chats: ['oc_acme1', 'oc_acme2', 'oc_acme3', 'oc_acme4'],
    shippedPerChatMs: 200,
    send: (m) => adapter.send(m),
    received: () => peer.sent().length,
    close: async () => {
      await adapter.stop();
      await peer.close();
    },
  };
}

async function dingtalk(): Promise<Connected> {
  const { peer, adapter } = await dingtalkOnPeer({ perChatMs: 0 });
  return {
    platform: 'dingtalk',
    chats: ['cidAcme1==', 'cidAcme2==', 'cidAcme3==', 'cidAcme4=='],
    shippedPerChatMs: 3000,
    send: (m) => adapter.send(m),
    received: () => peer.sent.length,
    close: async () => {
      await adapter.stop();
      await peer.close();
    },
  };
}

/** `rows` rows over the platform's chats, `inFlight` writers, through the outbox to the peer. */
async function throughput(connected: Connected, rows: number, inFlight: number): Promise<PlatformFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-bench-platform-'));
  const store = openSqliteStore(sqliteFileIn(dir));
  const sender = new OutboxSender(
    { store, messenger: { send: (m) => connected.send(m) }, clock: systemClock, logger: silentLogger },
    { expireMs: 86_400_000 },
  );
  const { chats, platform } = connected;
  const message = (i: number): OutboundMessage => ({
    platform,
    chatId: chats[i % chats.length]!,
    chatKind: 'group',
    text: `Ticket #${1000 + i} is open. An engineer will answer within 12 working hours.`,
    mentions: [bench],
  });
  try {
    const warmUp = Math.min(50, rows);
    for (let i = 0; i < warmUp; i++) await sender.send([{ message: message(i) }]);
    await sender.idle();
    const before = connected.received();
    const latencies: number[] = [];
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < rows; i = next++) {
          const t0 = process.hrtime.bigint();
          await sender.send([{ message: message(i) }]);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    await sender.idle();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The peer may record a send a moment after the adapter's promise settles.
    const until = Date.now() + 5000;
    while (connected.received() - before < rows && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const delivered = connected.received() - before;
    if (delivered !== rows) throw new Error(`${platform}: the peer received ${delivered} of ${rows} rows`);
    return {
      platform,
      rows,
      chats: chats.length,
      rowsPerSecond: Math.round(rows / seconds),
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      delivered,
      pacedCeilingPerChat: round(1000 / connected.shippedPerChatMs),
    };
  } finally {
    sender.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const connectors: Record<string, () => Promise<Connected>> = { qq, slack, discord, wechat, feishu, dingtalk };

/** Each platform in turn (BENCH_PLATFORMS=qq,slack to choose), `rows` rows each. */
export async function benchPlatforms(rows = 2000, inFlight = 4): Promise<PlatformFigures[]> {
  const chosen = (process.env.BENCH_PLATFORMS ?? Object.keys(connectors).join(',')).split(',');
  const figures: PlatformFigures[] = [];
  for (const name of chosen) {
    const connect = connectors[name];
    if (!connect) throw new Error(`unknown platform in BENCH_PLATFORMS: ${name}`);
    const connected = await connect();
    try {
      figures.push(await throughput(connected, rows, inFlight));
    } finally {
      await connected.close();
    }
  }
  return figures;
}
