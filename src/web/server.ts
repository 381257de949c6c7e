/**
 * The web console: a Fastify server inside the bot process, on the same composed services
 * and store as the chat door. Fastify because it is well kept and its own plugins cover what
 * a console needs without a build step: cookies, CSRF tokens, rate limits, form bodies,
 * and `inject()` for tests without a socket. It never binds beyond 127.0.0.1 unless
 * GROUPDESK_WEB_HOST says so.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CommandRegistry } from '../../commands/registry';
import type { DeskServices } from '../../commands/types';
import type { ConnectionStatus } from '../core/connections';
import { UserError } from '../core/errors';
import type { Logger } from '../core/logger';
import { isVisible } from '../desk/visibility';
import { registerGithubHook } from '../upstream/github-hook';
import { registerGitlabHook } from '../upstream/gitlab-hook';
import { placeOf } from './actions';
import { registerHealth } from './health';
import { type MetricsScrape, registerMetrics } from './metrics';
import { messagePage } from './pages';
import { BadInput, registerRoutes } from './routes';
import { SESSION_COOKIE, sessionOf } from './session';

export interface WebOptions {
  /** The desk's services; a function because the playground's `:reset` builds new ones. */
  readonly desk: () => DeskServices;
  readonly registry: CommandRegistry;
  readonly logger: Logger;
  /** Cookies marked Secure (the public address is https). */
  readonly secure?: boolean;
  /** Keep-alive comments on event streams (proxies close idle ones). */
  readonly heartbeatMs?: number;
  /** Facts of the process for /healthz beyond the store and the outbox (the last backup). */
  readonly health?: () => Record<string, unknown>;
  /** Each configured platform's connection, for /healthz. */
  readonly connections?: ConnectionStatus;
  /** Serves GET /metrics (absent: no such route). */
  readonly metrics?: MetricsScrape;
  /** GROUPDESK_METRICS_TOKEN: lets a scraper beyond this machine in. */
  readonly metricsToken?: string;
}

export interface WebServer {
  readonly app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  close(): Promise<void>;
}

/** One registered route, e.g. `{ method: 'POST', url: '/tickets/:number/:action' }`. */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
}

const registered = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route the app registered (the isolation matrix checks that each one is covered). */
export function routesOf(app: FastifyInstance): readonly RouteInfo[] {
  return registered.get(app) ?? [];
}

/** Request bodies larger than this are refused (413): a reply is at most 16,000 characters. */
const BODY_LIMIT = 128 * 1024;

/**
 * The console checks what it is sent with zod and declares no JSON schema on a route, so
 * fastify's default compilers (ajv and fast-json-stringify, about a fifth of a start: issue 15)
 * are never loaded. A route that declares one is refused when it is registered.
 */
const NO_JSON_SCHEMAS = {
  compilersFactory: {
    buildValidator: (): never => {
      throw new Error('the web console validates with zod: declare no JSON schema on a route');
    },
    buildSerializer: (): never => {
      throw new Error('the web console serialises its own replies: declare no response schema on a route');
    },
  },
};

export async function buildWebApp(options: WebOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    forceCloseConnections: true,
    schemaController: NO_JSON_SCHEMAS,
  });
  const routes: RouteInfo[] = [];
  registered.set(app, routes);
  // First of all, so that plugins' and encapsulated scopes' routes are heard too; HEAD is GET's twin.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
  await app.register(fastifyCsrf, {
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: options.secure === true },
  });
  await app.register(fastifyRateLimit, { global: false });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    return payload;
  });
  app.setErrorHandler(async (error, req, reply) => {
    const desk = options.desk();
    const locale = desk.settings.defaultLocale;
    const t = (key: string) => desk.translator.t(locale, key);
    const kit = { translator: desk.translator, format: desk.format, locale, csrf: '' };
    const show = (code: number, key: string) =>
      reply
        .code(code)
        .type('text/html; charset=utf-8')
        .send(messagePage(kit, t(key), t(key)));
    if (error instanceof UserError && error.key === 'ticket.not_found') return show(404, 'web.not_found');
    if (error instanceof BadInput) return show(400, 'web.bad_input');
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('FST_CSRF')) return show(403, 'web.csrf');
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 429) return show(429, 'web.rate_limited');
    if (status === 413) return show(413, 'web.too_large');
    if (typeof status === 'number' && status >= 400 && status < 500) return show(status, 'web.bad_input');
    const ref = randomUUID().slice(0, 8);
    options.logger.error('web request failed', {
      ref,
      url: req.url.split('?')[0],
      stack: error instanceof Error ? error.stack : String(error),
    });
    return reply
      .code(500)
      .type('text/html; charset=utf-8')
      .send(messagePage(kit, t('web.failed'), desk.translator.t(locale, 'error.internal', { ref })));
  });
  app.setNotFoundHandler(async (_req, reply) => {
    const desk = options.desk();
    const locale = desk.settings.defaultLocale;
    const kit = { translator: desk.translator, format: desk.format, locale, csrf: '' };
    const text = desk.translator.t(locale, 'web.not_found');
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(messagePage(kit, text, text));
  });
  registerRoutes(app, {
    desk: options.desk,
    registry: options.registry,
    secure: options.secure === true,
    logger: options.logger,
  });
  registerHealth(app, options.desk, options.health, options.connections);
  if (options.metrics) registerMetrics(app, options.desk, options.metrics, options.metricsToken);
  registerEvents(app, options);
  registerGithubHook(app, options.desk);
  registerGitlabHook(app, options.desk);
  return app;
}

/** Server-sent events: `changed` whenever a ticket the reader may see changes. */
function registerEvents(app: FastifyInstance, options: WebOptions): void {
  const streams = new Set<ServerResponse>();
  const query = z.object({ ticket: z.coerce.number().int().positive().optional() });
  app.get('/events', async (req, reply) => {
    const desk = options.desk();
    const session = await sessionOf(desk.signIn, req, reply);
    if (!session) return reply.code(401).send();
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw new BadInput(parsed.error.message);
    const only = parsed.data.ticket;
    const place = placeOf(session.person);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    streams.add(raw);
    const cookie = req.cookies[SESSION_COOKIE] ?? '';
    const stop = desk.changes.listen((ticket) => {
      if ((only !== undefined && ticket.number !== only) || !isVisible(place, ticket)) return;
      // The session is checked again before each event: a person removed from staff (or a
      // customer without a plan any more) hears nothing more, and the stream ends.
      desk.signIn.session(cookie).then(
        () => raw.write(`event: changed\ndata: ${JSON.stringify({ ticket: ticket.number })}\n\n`),
        () => raw.end(),
      );
    });
    const beat = setInterval(() => raw.write(': keep-alive\n\n'), options.heartbeatMs ?? 25_000);
    beat.unref();
    raw.on('close', () => {
      stop();
      clearInterval(beat);
      streams.delete(raw);
    });
  });
  // Open streams would hold close() up forever: end them first.
  app.addHook('preClose', async () => {
    for (const raw of streams) raw.end();
  });
}

/** Builds and starts the console; tells the desk its address so that sign-in links point there. */
export async function startWebServer(
  options: WebOptions & { readonly host: string; readonly port: number },
): Promise<WebServer> {
  const app = await buildWebApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  options.desk().setWebUrl(url);
  return { app, url, close: () => app.close() };
}
