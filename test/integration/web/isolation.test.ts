/**
 * The isolation matrix over EVERY route the console registers (enumerated with Fastify's
 * onRoute hook, so a new route that this table does not name fails the first test):
 * - a subscriber of one customer asking for another customer's ticket by URL, or naming it in
 *   a form body, or asking for a ticket that does not exist, gets one and the same 404;
 * - staff-only routes answer a subscriber with the 404 of a page that does not exist;
 * - every state change is refused without its CSRF token, and nothing is stored.
 */
import { PrometheusMetrics } from '../../../src/metrics/prometheus';
import { routesOf } from '../../../src/web/server';
import { getAs, postBare, type Response, submit, type World, world } from './world';

/** How each route is protected; every registered route must have exactly one row. */
const ROUTES = {
  'GET /app.js': 'asset',
  'GET /reports.js': 'asset',
  'GET /vendor/chart.umd.min.js': 'asset',
  'GET /healthz': 'asset', // no customer data: tests/integration/web/health*.test.ts
  'GET /metrics': 'asset', // loopback or bearer: metrics.test.ts
  'GET /signin': 'signin', // a signed link: signin.test.ts
  'POST /signin': 'signin-post',
  'POST /signout': 'session-post',
  'GET /': 'queue',
  'GET /events': 'stream',
  'GET /tickets/:number': 'ticket',
  'POST /tickets/:number/:action': 'ticket-action',
  'GET /reports': 'staff',
  'GET /reports.csv': 'staff',
  'GET /admin': 'staff',
  'POST /admin/sub': 'staff-post',
  'POST /admin/bind': 'staff-post',
  'POST /admin/staff': 'staff-post',
  'POST /hooks/github': 'webhook', // HMAC-signed by GitHub: a cross-site form cannot sign
  'POST /hooks/gitlab': 'webhook', // GitLab's secret X-Gitlab-Token header: a cross-site form cannot set it
} as const satisfies Record<string, string>;

type Route = keyof typeof ROUTES;
const routesWhere = (...kinds: string[]) =>
  (Object.keys(ROUTES) as Route[]).filter((r) => kinds.includes(ROUTES[r]));

/** The form fields each action needs to get past its own validation. */
const ACTION_FIELDS: Record<string, Record<string, string>> = {
  claim: {},
  reply: { text: 'let me in' },
  note: { text: 'psst' },
  resolve: { summary: 'done' },
  assign: { who: 'nobody' },
  wait: { question: 'why?' },
  priority: { level: 'p1' },
};
/** What staff-only POSTs take in their forms (a valid change, were the sender allowed). */
const STAFF_FIELDS: Record<string, Record<string, string>> = {
  'POST /admin/sub': { action: 'plan', customer: 'globex', value: 'basic', months: '' },
  'POST /admin/bind': { platform: 'console', chat: 'globex', target: 'acme' },
  'POST /admin/staff': { action: 'add', platform: 'console', user: 'alice', role: 'manager' },
};

const FOREIGN = 1002; // globex's
const OWN = 1001; // acme's, alice's company
const MISSING = 987_654;

describe('the isolation matrix over every route', () => {
  let w: World;
  let alice: string;
  beforeEach(async () => {
    w = await world({ metrics: new PrometheusMetrics() });
    await w.say('alice', 'acme', '@bot the build fails'); // #1001
    await w.say('erin', 'globex', '@bot Globex secret: the payroll export crashes'); // #1002
    alice = await w.signIn('alice');
  });
  afterEach(() => w.close());

  /** Everything the store holds, to prove a refused request stored nothing. */
  const snapshot = async () => {
    const rows: unknown[] = [];
    for await (const record of w.desk.services.store.exportAll()) rows.push(record);
    return JSON.stringify(rows);
  };
  const verdict = (r: Response) => `${r.statusCode}`;

  it('has a row for every registered route, and no row for a route that is gone', () => {
    const registered = routesOf(w.app.fastify).map((r) => `${r.method} ${r.url}`);
    expect([...new Set(registered)].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('answers another customer’s ticket exactly like a missing one, by URL or in a body', async () => {
    const notFound = await getAs(w, alice, '/no/such/page');
    expect(notFound.statusCode).toBe(404);
    const cells: string[] = [];
    const before = await w.desk.services.store.listEvents(FOREIGN);
    const ticketBefore = await w.desk.services.store.getTicket(FOREIGN);
    for (const route of routesWhere('ticket', 'ticket-action')) {
      const actions = route.startsWith('POST') ? Object.keys(ACTION_FIELDS) : [''];
      for (const action of actions) {
        const ask = (n: number, extra: Record<string, string> = {}) =>
          action === ''
            ? getAs(w, alice, `/tickets/${n}`)
            : submit(w, alice, '/', `/tickets/${n}/${action}`, { ...ACTION_FIELDS[action], ...extra });
        const foreign = await ask(FOREIGN);
        const missing = await ask(MISSING);
        cells.push(
          `${route} ${action} → ${verdict(foreign)}/${verdict(missing)}/${foreign.body === missing.body}`,
        );
        expect(foreign.body).toBe(notFound.body);
        // Its own ticket in the URL, the foreign one in every body field a handler might read.
        if (action !== '') await ask(OWN, { ticket: String(FOREIGN), number: String(FOREIGN) });
      }
    }
    expect(cells).toEqual(cells.map((c) => `${c.split(' → ')[0]} → 404/404/true`));
    expect(cells).toHaveLength(1 + Object.keys(ACTION_FIELDS).length);
    expect(await w.desk.services.store.listEvents(FOREIGN)).toEqual(before);
    expect(await w.desk.services.store.getTicket(FOREIGN)).toEqual(ticketBefore);
    // The queue, with a filter naming the other customer, lists only alice's company.
    const queue = await getAs(w, alice, `/?customer=globex&q=payroll`);
    expect(queue.body).not.toMatch(/export crashes|data-ticket="1002"/);
  });

  it('answers a subscriber on every staff-only route with the 404 of a page that does not exist', async () => {
    const notFound = await getAs(w, alice, '/no/such/page');
    const before = await snapshot();
    const cells: string[] = [];
    for (const route of routesWhere('staff', 'staff-post')) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const res =
        method === 'GET'
          ? await getAs(w, alice, url)
          : await submit(w, alice, '/', url, STAFF_FIELDS[route]!);
      cells.push(`${route}: ${res.statusCode}/${res.body === notFound.body}`);
    }
    expect(cells).toEqual(routesWhere('staff', 'staff-post').map((r) => `${r}: 404/true`));
    expect(await snapshot()).toBe(before);
  });

  it('refuses every state change without its CSRF token, and stores nothing', async () => {
    const carol = await w.signIn('carol'); // a manager: every route is hers but for the token
    const posts = routesWhere('signin-post', 'session-post', 'ticket-action', 'staff-post');
    expect(posts.length).toBe(
      (Object.keys(ROUTES) as Route[]).filter((r) => r.startsWith('POST')).length -
        routesWhere('webhook').length,
    );
    const before = await snapshot();
    const cells: string[] = [];
    for (const route of posts) {
      const url = route.split(' ')[1]!;
      const targets =
        ROUTES[route] === 'ticket-action'
          ? Object.keys(ACTION_FIELDS).map((a) => [`/tickets/${OWN}/${a}`, ACTION_FIELDS[a]!] as const)
          : [[url, STAFF_FIELDS[route] ?? { token: 'x'.repeat(20) }] as const];
      for (const [path, fields] of targets) {
        const res = await postBare(w, carol, path, new URLSearchParams(fields).toString());
        cells.push(`${path} → ${res.statusCode}`);
      }
    }
    expect(cells).toEqual(cells.map((c) => `${c.split(' → ')[0]} → 403`));
    expect(await snapshot()).toBe(before);
    // The POSTs without a CSRF token are the trackers' webhooks, which need their signature or token instead.
    const hook = await postBare(w, carol, '/hooks/github', '{}');
    expect([401, 404]).toContain(hook.statusCode);
    const gitlab = await postBare(w, carol, '/hooks/gitlab', '{}');
    expect([401, 404]).toContain(gitlab.statusCode);
  });

  it('streams a subscriber the changes of their own tickets, never another customer’s', async () => {
    const stream = await fetch(new URL('/events', w.url), { headers: { cookie: alice } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // the retry line: the stream is listening
    await w.say('bob', 'staff', `/note #${FOREIGN} globex only`);
    await w.say('bob', 'staff', `/note #${OWN} acme`);
    let text = '';
    while (!text.includes('event: changed')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain(`"ticket":${OWN}`);
    expect(text).not.toContain(`"ticket":${FOREIGN}`);
  });
});
