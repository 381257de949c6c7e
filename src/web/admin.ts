/**
 * The managers' and admins' desk page: customers with their plan, expiry and training
 * used; group bindings; staff. A subscription change posts to /admin/sub, which runs the
 * /sub command itself (its schema, role and place checks), like every console action.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CommandRegistry } from '../../commands/registry';
import type { DeskServices } from '../../commands/types';
import { UserError } from '../core/errors';
import type { Group, Person } from '../core/model';
import { mayRun } from '../desk/roles';
import type { Session } from '../desk/signin';
import { localeOf, runCommand } from './actions';
import { html } from './html';
import { layout, type PageKit } from './pages';
import { setNotice, takeNotice } from './session';

export interface CustomerRow {
  readonly id: string;
  readonly name: string;
  readonly plan: string;
  readonly endsAt?: number;
  readonly trainingUsed: number;
  readonly trainingQuota: number;
}

export interface AdminView {
  readonly customers: readonly CustomerRow[];
  readonly groups: readonly Group[];
  readonly staff: readonly Person[];
  readonly plans: readonly string[];
}

const subSchema = z.object({
  action: z.enum(['add', 'extend', 'plan']),
  customer: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  value: z.string().trim().min(1).max(40),
  months: z.union([z.literal(''), z.coerce.number().int().min(1).max(120)]).optional(),
});

export async function customerRows(desk: DeskServices, only?: string): Promise<CustomerRow[]> {
  const customers = only ? [await desk.directory.requireCustomer(only)] : await desk.store.listCustomers();
  const rows: CustomerRow[] = [];
  for (const c of customers) {
    const { plan, subscription } = await desk.directory.effectivePlan(c.id);
    rows.push({
      id: c.id,
      name: c.name,
      plan: plan.id,
      ...(subscription ? { endsAt: subscription.endsAt } : {}),
      trainingUsed: subscription?.trainingUsed ?? 0,
      trainingQuota: plan.trainingSessions,
    });
  }
  return rows;
}

export function adminPage(kit: PageKit, view: AdminView): string {
  const t = (key: string, params?: Record<string, string | number>) =>
    kit.translator.t(kit.locale, key, params);
  const when = (at: number | undefined) => (at === undefined ? '' : kit.format.time(at));
  const customers = view.customers.map(
    (c) =>
      html`<tr data-customer="${c.id}"><td>${c.id}</td><td>${c.name}</td><td>${c.plan}</td><td>${when(c.endsAt)}</td><td>${c.trainingUsed} / ${c.trainingQuota}</td></tr>`,
  );
  const groups = view.groups.map(
    (g) =>
      html`<tr><td>${g.platform}</td><td>${g.title ?? g.chatId}</td><td>${t(`place.${g.kind}`)}</td><td>${g.customerId ?? ''}</td></tr>`,
  );
  const staff = view.staff.map((p) => html`<tr><td>${p.name}</td><td>${t(`audience.${p.role}`)}</td></tr>`);
  const option = (value: string, label = value) => html`<option value="${value}">${label}</option>`;
  return layout(
    kit,
    t('web.admin.title'),
    html`<h1>${t('web.admin.title')}</h1>
<h2>${t('web.admin.customers')}</h2>
<table id="customers"><tr><th>ID</th><th>${t('web.col.customer')}</th><th>${t('web.report.col.plan')}</th><th>${t('web.admin.ends')}</th><th>${t('web.report.training')}</th></tr>${customers}</table>
<form method="post" action="/admin/sub" id="sub"><input type="hidden" name="_csrf" value="${kit.csrf}">
<select name="action">${option('add', t('web.admin.sub_add'))}${option('extend', t('web.admin.sub_extend'))}${option('plan', t('web.admin.sub_plan'))}</select>
<select name="customer">${view.customers.map((c) => option(c.id, c.name))}</select>
<input name="value" required maxlength="40" placeholder="${t('web.admin.sub_value')}" list="plans"><datalist id="plans">${view.plans.map((p) => option(p))}</datalist>
<input name="months" type="number" min="1" max="120" placeholder="${t('web.admin.months')}">
<button>${t('web.admin.apply')}</button></form>
<h2>${t('web.admin.groups')}</h2>
<table id="groups"><tr><th>${t('web.admin.platform')}</th><th>${t('web.admin.group')}</th><th>${t('web.admin.kind')}</th><th>${t('web.col.customer')}</th></tr>${groups}</table>
<h2>${t('web.admin.staff')}</h2>
<table id="staff"><tr><th>${t('web.report.col.engineer')}</th><th>${t('web.admin.role')}</th></tr>${staff}</table>
<p class="meta">${t('web.admin.chat_only')}</p>`,
  );
}

export interface AdminDeps {
  readonly desk: () => DeskServices;
  readonly registry: CommandRegistry;
  readonly signedIn: (req: FastifyRequest, reply: FastifyReply) => Promise<Session | undefined>;
  readonly kitFor: (reply: FastifyReply, person: Person, notice?: ReturnType<typeof takeNotice>) => PageKit;
  readonly parse: <S extends z.ZodType>(schema: S, value: unknown) => z.infer<S>;
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  /** Managers and admins; anyone else gets the 404 of a page that is not there. */
  const manager = async (req: FastifyRequest, reply: FastifyReply) => {
    const session = await deps.signedIn(req, reply);
    if (!session) return undefined;
    if (!mayRun(['manager'], session.person.role)) throw new UserError('ticket.not_found', { ticket: 0 });
    return session;
  };
  app.get('/admin', async (req, reply) => {
    const session = await manager(req, reply);
    if (!session) return;
    const desk = deps.desk();
    const staff = [
      ...(await desk.store.listPeople({ role: 'admin' })),
      ...(await desk.store.listPeople({ role: 'manager' })),
      ...(await desk.store.listPeople({ role: 'engineer' })),
    ];
    const view = {
      customers: await customerRows(desk),
      groups: await desk.store.listGroups(),
      staff,
      plans: desk.plans.ids(),
    };
    const kit = deps.kitFor(reply, session.person, takeNotice(req, reply));
    return reply.type('text/html; charset=utf-8').send(adminPage(kit, view));
  });
  app.post('/admin/sub', { preHandler: app.csrfProtection }, async (req, reply) => {
    const session = await manager(req, reply);
    if (!session) return;
    const desk = deps.desk();
    const { months, ...rest } = deps.parse(subSchema, req.body);
    try {
      const said = await runCommand(desk, deps.registry, session.person, 'sub', {
        ...rest,
        ...(typeof months === 'number' ? { months } : {}),
      });
      setNotice(reply, { text: said.join('\n'), error: false });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      const text = desk.translator.t(localeOf(desk, session.person), error.key, error.params);
      setNotice(reply, { text, error: true });
    }
    return reply.redirect('/admin', 303);
  });
}
