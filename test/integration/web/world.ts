/**
 * A desk for web console tests: the real router, commands and a real SQLite file, the demo
 * people and groups, a clock moved by hand, and a messenger that records what the bot sent
 * (so a test reads what a customer group received). The web app runs on the same services.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk } from '../../../src/app';
import type { OutboundMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import type { ConnectionBoard } from '../../../src/core/connections';
import { type Logger, silentLogger } from '../../../src/core/logger';
import { seedDemo } from '../../../src/demo';
import type { PrometheusMetrics } from '../../../src/metrics/prometheus';
import { openSqliteStore } from '../../../src/store/sqlite';
import { buildWebApp } from '../../../src/web/server';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
export const START = Date.parse('2026-11-23T02:00:00Z');

export interface World {
  readonly desk: Desk;
  readonly clock: ManualClock;
  readonly sent: OutboundMessage[];
  /** The console over real HTTP, asked like fastify.inject(). */
  readonly app: { inject(r: Request): Promise<Response>; readonly fastify: FastifyInstance };
  /** Where the app listens (a real socket on 127.0.0.1). */
  readonly url: string;
  /** `who` says `text` in `where` (a console group, or `dm`); resolves when the bot is done. */
  say(who: string, where: string, text: string): Promise<OutboundMessage[]>;
  /** The sign-in link `/web` gives `who` (asked in a direct message), as a path and query. */
  linkFor(who: string): Promise<string>;
  /** A signed-in cookie header for `who`. */
  signIn(who: string): Promise<string>;
  close(): Promise<void>;
}

export async function world(
  options: {
    locale?: 'en' | 'zh-CN';
    dataDir?: string;
    env?: Readonly<Record<string, string>>;
    /** Counts what the desk does and serves GET /metrics. */
    metrics?: PrometheusMetrics;
    /** The web server's logger (administration changes are audited there). */
    logger?: Logger;
    /** Where adapters' connection states go (GET /healthz lists them). */
    connections?: ConnectionBoard;
    /** Messages the "platform" refuses (a failed delivery). */
    refuse?: (message: OutboundMessage) => boolean;
  } = {},
): Promise<World> {
  const dir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'groupdesk-web-'));
  const config = loadConfig({
    GROUPDESK_LOCALE: options.locale ?? 'en',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
    GROUPDESK_CACHE_TTL_MS: '0',
    ...options.env,
  });
  const store = openSqliteStore(path.join(dir, 'groupdesk.sqlite'));
  const clock = new ManualClock(START);
  const sent: OutboundMessage[] = [];
  const desk = createDesk({
    config,
    store,
    clock,
    logger: silentLogger,
    ...(options.metrics && { metrics: options.metrics }),
    ...(options.connections && { connections: options.connections }),
    messenger: {
      send: async (m) => {
        if (options.refuse?.(m)) throw new Error('the platform refused the message');
        sent.push(m);
        return { messageId: randomUUID() };
      },
    },
  });
  await seedDemo(desk.services);
  const fastify = await buildWebApp({
    desk: () => desk.services,
    registry: desk.registry,
    logger: options.logger ?? silentLogger,
    ...(options.metrics && { metrics: options.metrics }),
    ...(options.connections && { connections: options.connections }),
    ...(config.env.GROUPDESK_METRICS_TOKEN && { metricsToken: config.env.GROUPDESK_METRICS_TOKEN }),
  });
  // Real HTTP on 127.0.0.1: fastify.inject() (light-my-request) needs an ESM-only module that jest cannot load.
  const base = await fastify.listen({ host: '127.0.0.1', port: 0 });
  desk.services.setWebUrl(base);
  const app = { fastify, inject: (r: Request) => request(base, r) };
  const say = async (who: string, where: string, text: string) => {
    const before = sent.length;
    const addressed = text.startsWith('@bot ');
    // Through the host, as an adapter delivers (it counts messages in).
    await desk.host.handle({
      platform: 'console',
      chatId: where,
      chatKind: where === 'dm' ? 'direct' : 'group',
      messageId: randomUUID(),
      sender: { id: who, name: who },
      text: addressed ? text.slice(5) : text,
      mentions: [],
      addressed: addressed || where === 'dm',
    });
    await desk.router.idle();
    return sent.slice(before);
  };
  const linkFor = async (who: string) => {
    const replies = await say(who, 'dm', '/web');
    const url = /https?:\/\/\S+/.exec(replies.map((r) => r.text).join('\n'))?.[0];
    if (!url) throw new Error(`no link in ${JSON.stringify(replies)}`);
    const { pathname, search } = new URL(url);
    return pathname + search;
  };
  return {
    desk,
    clock,
    sent,
    app,
    url: base,
    say,
    linkFor,
    async signIn(who) {
      const link = await linkFor(who);
      const page = await app.inject({ method: 'GET', url: link });
      const { cookie, csrf } = formOf(page);
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const done = await app.inject({
        method: 'POST',
        url: '/signin',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, token }).toString(),
      });
      if (done.statusCode !== 303) throw new Error(`sign-in failed: ${done.statusCode} ${done.body}`);
      return cookieHeader([...setCookies(page), ...setCookies(done)]);
    },
    async close() {
      await fastify.close();
      desk.router.stop();
      await store.close();
      if (!options.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Injected = { headers: Record<string, unknown>; body: string };

export interface Request {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly payload?: string;
}

export interface Response {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request, no redirects followed, answered like inject(): status, headers (set-cookie as a list), body. */
export async function request(base: string, r: Request): Promise<Response> {
  const res = await fetch(new URL(r.url, base), {
    method: r.method,
    redirect: 'manual',
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.payload !== undefined ? { body: r.payload } : {}),
  });
  const headers: Record<string, string | string[] | undefined> = Object.fromEntries(res.headers);
  headers['set-cookie'] = res.headers.getSetCookie();
  return { statusCode: res.status, headers, body: await res.text() };
}

export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
}

/** Folds Set-Cookie lines into one Cookie header; a later line for a name wins (a cleared cookie drops). */
export function cookieHeader(lines: readonly string[], base = ''): string {
  const jar = new Map<string, string>();
  for (const part of base.split('; ').filter(Boolean)) {
    const [k, ...v] = part.split('=');
    jar.set(k!, v.join('='));
  }
  for (const line of lines) {
    const [pair] = line.split(';');
    const [k, ...v] = pair!.split('=');
    const value = v.join('=');
    if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(k!);
    else jar.set(k!, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The CSRF token of a page's first form and the cookies it set. */
export function formOf(page: Injected, base = ''): { csrf: string; cookie: string } {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!csrf) throw new Error(`no form on the page: ${page.body.slice(0, 400)}`);
  return { csrf, cookie: cookieHeader(setCookies(page), base) };
}

/** GETs `url` with a signed-in cookie header. */
export function getAs(w: World, cookie: string, url: string) {
  return w.app.inject({ method: 'GET', url, headers: { cookie } });
}

/** POSTs a form body without any CSRF token (what a forged cross-site form sends). */
export function postBare(w: World, cookie: string, url: string, payload: string) {
  return w.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload,
  });
}

/** POSTs a form as a browser would: the page's CSRF token, its cookies. */
export async function submit(
  w: World,
  cookie: string,
  pageUrl: string,
  action: string,
  fields: Record<string, string>,
) {
  const page = await w.app.inject({ method: 'GET', url: pageUrl, headers: { cookie } });
  const form = formOf(page, cookie);
  return w.app.inject({
    method: 'POST',
    url: action,
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: form.csrf, ...fields }).toString(),
  });
}
