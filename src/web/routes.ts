/**
 * The console's pages and actions. Every input is parsed with zod; every state change is a
 * CSRF-checked POST; every ticket is looked up through the desk's visibility rule, so another
 * customer's ticket answers exactly like a missing one (404).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CommandRegistry } from '../../commands/registry';
import type { DeskServices } from '../../commands/types';
import { UserError } from '../core/errors';
import type { Logger } from '../core/logger';
import { type Person, PRIORITIES, type Ticket, type TicketStatus } from '../core/model';
import { followUp } from '../desk/intake';
import { isStaff, mayRun } from '../desk/roles';
import { type Session, SignInRefused } from '../desk/signin';
import { visibleTicket } from '../desk/visibility';
import { localeOf, placeOf, runCommand } from './actions';
import { registerAdmin } from './admin';
import { CLIENT_JS } from './client';
import { csv } from './csv';
import { messagePage, type PageKit, queuePage, reportsPage, signInPage, ticketPage } from './pages';
import { searchTickets } from './queue-search';
import { chartScript, periodOf, REPORTS_JS, reportFigures } from './reports';
import { type Notice, SESSION_COOKIE, sessionOf, setNotice, setSession, takeNotice } from './session';

export interface RouteDeps {
  readonly desk: () => DeskServices;
  readonly registry: CommandRegistry;
  readonly secure: boolean;
  /** Where administration changes are audited. */
  readonly logger: Logger;
}

/** Longest text a form accepts: the chat door's limit (src/router MAX_INPUT_CHARS). */
const MAX_TEXT = 16_000;
/** The store answers at most 500 (TicketQuery.limit), the most urgent first. */
const QUEUE_LIMIT = 500;
const ACTIVE: readonly TicketStatus[] = ['open', 'claimed', 'waiting_on_customer'];
const STATUSES = ['open', 'claimed', 'waiting_on_customer', 'resolved', 'closed'] as const;

const tokenSchema = z.object({ token: z.string().min(10).max(512) });
const numberSchema = z.object({ number: z.coerce.number().int().positive().max(2_000_000_000) });
const filterSchema = z.object({
  customer: z.union([z.literal(''), z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)]).optional(),
  status: z.union([z.literal(''), z.enum(STATUSES)]).optional(),
  assignee: z.string().max(64).optional(),
  overdue: z.literal('1').optional(),
  plan: z.union([z.literal(''), z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)]).optional(),
  priority: z.union([z.literal(''), z.enum(PRIORITIES)]).optional(),
  q: z.string().trim().max(200).optional(),
});
/** The search box answers at most this many tickets (the full-text index's best, see queue-search.ts). */
const SEARCH_LIMIT = 50;
const textSchema = z.object({ text: z.string().trim().min(1).max(MAX_TEXT) });
const summarySchema = z.object({ summary: z.string().trim().max(MAX_TEXT).optional() });
const ACTIONS = ['claim', 'reply', 'note', 'resolve', 'assign', 'wait', 'priority'] as const;
const assignSchema = z.object({ who: z.string().min(1).max(64) });
const waitSchema = z.object({ question: z.string().trim().max(MAX_TEXT).optional() });
const prioritySchema = z.object({ level: z.enum(PRIORITIES) });

/** A request that failed validation: 400 with the reader's words. */
export class BadInput extends Error {}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new BadInput(parsed.error.message);
  return parsed.data;
}

const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const periodSchema = z.object({
  days: z.union([z.literal('7'), z.literal('30'), z.literal('90')]).optional(),
  from: z.union([z.literal(''), dayText]).optional(),
  to: z.union([z.literal(''), dayText]).optional(),
});

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const kitFor = (reply: FastifyReply, person?: Person, notice?: Notice): PageKit => {
    const desk = deps.desk();
    return {
      translator: desk.translator,
      format: desk.format,
      locale: person ? localeOf(desk, person) : desk.settings.defaultLocale,
      csrf: reply.generateCsrf(),
      ...(person ? { person } : {}),
      ...(notice ? { notice } : {}),
    };
  };
  const t = (kit: PageKit, key: string, params?: Record<string, string | number>) =>
    kit.translator.t(kit.locale, key, params);
  /** The session, or a 401 page that says how to get a link. */
  const signedIn = async (req: FastifyRequest, reply: FastifyReply): Promise<Session | undefined> => {
    const session = await sessionOf(deps.desk().signIn, req, reply);
    if (session) return session;
    const kit = kitFor(reply);
    reply
      .code(401)
      .type('text/html; charset=utf-8')
      .send(messagePage(kit, t(kit, 'web.signin.title'), t(kit, 'web.signin.needed')));
    return undefined;
  };
  const refusedPage = (reply: FastifyReply, error: SignInRefused) => {
    const kit = kitFor(reply);
    return reply
      .code(error.reason === 'malformed' ? 400 : 403)
      .type('text/html; charset=utf-8')
      .send(messagePage(kit, t(kit, 'web.signin.title'), t(kit, `web.signin.${error.reason}`)));
  };
  const page = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').send(body);
  const limited = { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } };
  const csrf = { preHandler: app.csrfProtection };

  registerAdmin(app, {
    desk: deps.desk,
    registry: deps.registry,
    logger: deps.logger,
    signedIn,
    kitFor,
    parse,
  });

  app.get('/app.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(CLIENT_JS));
  app.get('/reports.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(REPORTS_JS),
  );
  app.get('/vendor/chart.umd.min.js', async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(chartScript()),
  );

  /** A manager's report for the asked period; anyone else gets the 404 of a page that is not there. */
  const managerReport = async (req: FastifyRequest, reply: FastifyReply) => {
    const session = await signedIn(req, reply);
    if (!session) return undefined;
    if (!mayRun(['manager'], session.person.role)) throw new UserError('ticket.not_found', { ticket: 0 });
    const q = parse(periodSchema, req.query);
    const days = q.days ? Number(q.days) : 7;
    const range = q.from && q.to ? { from: q.from, to: q.to } : undefined;
    const desk = deps.desk();
    const figures = await reportFigures(desk, periodOf(desk.clock.now(), range ?? { days }));
    const query = new URLSearchParams(range ?? { days: String(days) }).toString();
    return { session, figures, query, days, range };
  };

  app.get('/reports', async (req, reply) => {
    const r = await managerReport(req, reply);
    if (!r) return;
    const kit = kitFor(reply, r.session.person);
    return page(
      reply,
      reportsPage(kit, { figures: r.figures, query: r.query, days: r.days, ...(r.range ?? {}) }),
    );
  });

  app.get('/reports.csv', async (req, reply) => {
    const r = await managerReport(req, reply);
    if (!r) return;
    const kit = kitFor(reply, r.session.person);
    const rows = r.figures.tables.flatMap((table) => [
      [t(kit, `web.report.${table.section}`)],
      table.columns.map((c) => t(kit, `web.report.col.${c}`)),
      ...table.rows,
      [],
    ]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="groupdesk-report.csv"')
      .send(csv(rows));
  });

  // The link opens a confirmation, not a session: link previews (Slack, WeChat) fetch
  // GET URLs, and must not use the link up.
  app.get('/signin', limited, async (req, reply) => {
    const { token } = parse(tokenSchema, req.query);
    try {
      const person = await deps.desk().signIn.peek(token);
      return page(reply, signInPage(kitFor(reply), person, token));
    } catch (error) {
      if (error instanceof SignInRefused) return refusedPage(reply, error);
      throw error;
    }
  });

  app.post('/signin', { ...limited, ...csrf }, async (req, reply) => {
    const { token } = parse(tokenSchema, req.body);
    try {
      const { cookie, session } = await deps.desk().signIn.redeem(token);
      setSession(reply, cookie, session, deps.secure, deps.desk().clock.now());
      return reply.redirect('/', 303);
    } catch (error) {
      if (error instanceof SignInRefused) return refusedPage(reply, error);
      throw error;
    }
  });

  app.post('/signout', csrf, async (req, reply) => {
    const session = await sessionOf(deps.desk().signIn, req, reply);
    if (session) deps.desk().signIn.signOut(session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    const kit = kitFor(reply);
    return page(reply, messagePage(kit, t(kit, 'web.signed_out'), t(kit, 'web.signin.needed')));
  });

  app.get('/', async (req, reply) => {
    const session = await signedIn(req, reply);
    if (!session) return;
    const { person } = session;
    const desk = deps.desk();
    const filters = parse(filterSchema, req.query);
    const now = desk.clock.now();
    const staff = isStaff(person.role);
    const scope = placeOf(person).customerId;
    const customerId = scope ?? (filters.customer || undefined);
    const assignee = staff ? filters.assignee || undefined : undefined;
    const query = {
      ...(customerId ? { customerId } : {}),
      ...(assignee && assignee !== 'none' ? { assigneeId: assignee } : {}),
      statuses: filters.status ? [filters.status] : ACTIVE,
      // The queue by the nearest deadline of any running promise (first, next, resolution).
      ...(!filters.q && (!filters.status || ACTIVE.includes(filters.status))
        ? { order: 'deadline' as const }
        : {}),
      ...(filters.overdue ? { nearestDueBefore: now } : {}),
      ...(filters.plan ? { plan: filters.plan } : {}),
      ...(filters.priority ? { priorities: [filters.priority] } : {}),
    };
    const limit = filters.q ? SEARCH_LIMIT : QUEUE_LIMIT;
    let tickets = filters.q
      ? // A search looks at every status: an old resolved answer is what one searches for.
        await searchTickets(
          desk,
          filters.q,
          { ...query, statuses: filters.status ? [filters.status] : STATUSES },
          limit,
        )
      : await desk.store.queryTickets({ ...query, limit });
    const capped = tickets.length >= limit ? limit : undefined;
    if (assignee === 'none') tickets = tickets.filter((x) => x.assigneeId === undefined);
    // The queue reads by deadline: the soonest (or the most overdue) of any promise first, none last.
    tickets = [...tickets].sort(
      (a, b) => (a.nearestDueAt ?? Infinity) - (b.nearestDueAt ?? Infinity) || a.number - b.number,
    );
    const staffPeople = staff ? await staffOf(desk) : [];
    const names = await namesOf(
      desk,
      tickets.flatMap((x) => (x.assigneeId ? [x.assigneeId] : [])),
    );
    const customers = staff ? (await desk.store.listCustomers()).map((c) => c.id) : [];
    const plans = staff ? desk.plans.ids() : [];
    // A customer's plan beside their tickets: exactly what /plan answers them in chat.
    const plan = staff
      ? []
      : (await runCommand(desk, deps.registry, person, 'plan', {})).flatMap((x) => x.split('\n'));
    return page(
      reply,
      queuePage(kitFor(reply, person, takeNotice(req, reply)), {
        tickets,
        names,
        now,
        filters,
        customers,
        plans,
        plan,
        assignees: staffPeople,
        ...(capped ? { capped } : {}),
      }),
    );
  });

  app.get('/tickets/:number', async (req, reply) => {
    const session = await signedIn(req, reply);
    if (!session) return;
    const desk = deps.desk();
    const ticket = await visibleTicket(
      desk.store,
      placeOf(session.person),
      parse(numberSchema, req.params).number,
    );
    const events = await desk.store.listEvents(ticket.number);
    const names = await namesOf(desk, [
      ...events.flatMap((e) => [e.actorId, ...(e.kind === 'assignment' && e.to ? [e.to] : [])]),
      ...(ticket.assigneeId ? [ticket.assigneeId] : []),
    ]);
    const kit = kitFor(reply, session.person, takeNotice(req, reply));
    const staff = isStaff(session.person.role) ? await staffOf(desk) : [];
    return page(reply, ticketPage(kit, { ticket, events, names, now: desk.clock.now(), staff }));
  });

  app.post('/tickets/:number/:action', csrf, async (req, reply) => {
    const session = await signedIn(req, reply);
    if (!session) return;
    const { person } = session;
    const desk = deps.desk();
    const { number } = parse(numberSchema, req.params);
    const action = parse(z.object({ action: z.enum(ACTIONS) }), req.params).action;
    const back = `/tickets/${number}`;
    const locale = localeOf(desk, person);
    let said: string[];
    try {
      if (!isStaff(person.role)) {
        if (action !== 'reply') throw new UserError('ticket.not_found', { ticket: number });
        said = [await customerAnswer(desk, person, number, parse(textSchema, req.body).text)];
      } else {
        said = await runCommand(desk, deps.registry, person, action, argsOf(action, number, req.body));
      }
    } catch (error) {
      // Not found stays a 404 (the isolation rule); any other refusal is shown on the page.
      if (!(error instanceof UserError) || error.key === 'ticket.not_found') throw error;
      setNotice(reply, { text: desk.translator.t(locale, error.key, error.params), error: true });
      return reply.redirect(back, 303);
    }
    setNotice(reply, { text: said.join('\n'), error: false });
    return reply.redirect(back, 303);
  });
}

/** A form's fields as the command's named arguments (its own zod schema checks them again). */
function argsOf(action: (typeof ACTIONS)[number], ticket: number, body: unknown): Record<string, unknown> {
  switch (action) {
    case 'claim':
      return { ticket };
    case 'resolve': {
      const { summary } = parse(summarySchema, body);
      return { ticket, ...(summary ? { summary } : {}) };
    }
    case 'assign':
      return { ticket, who: { id: parse(assignSchema, body).who } };
    case 'wait': {
      const { question } = parse(waitSchema, body);
      return { ticket, ...(question ? { question } : {}) };
    }
    case 'priority':
      return { ticket, level: parse(prioritySchema, body).level };
    default:
      return { ticket, text: parse(textSchema, body).text };
  }
}

/** A subscriber's answer from the web: recorded exactly like a follow-up in their group. */
async function customerAnswer(
  desk: DeskServices,
  person: Person,
  number: number,
  text: string,
): Promise<string> {
  const ticket: Ticket = await visibleTicket(desk.store, placeOf(person), number);
  if (ticket.status === 'closed') throw new UserError('ticket.is_closed', { ticket: number });
  const done = await followUp(desk, ticket, person, {
    platform: ticket.platform,
    chatId: ticket.chatId,
    messageId: `web:${randomUUID()}`,
    text,
  });
  await done.tellAssignee?.();
  return desk.translator.t(localeOf(desk, person), 'web.answer_recorded', { ticket: number });
}

/** The people a ticket may be assigned to. */
async function staffOf(desk: DeskServices): Promise<Person[]> {
  return [
    ...(await desk.store.listPeople({ role: 'engineer' })),
    ...(await desk.store.listPeople({ role: 'manager' })),
  ];
}

async function namesOf(desk: DeskServices, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (id === 'system') continue;
    const p = await desk.store.getPerson(id);
    if (p) names.set(id, p.name);
  }
  return names;
}
