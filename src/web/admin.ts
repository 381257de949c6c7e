/**
 * The managers' and admins' desk page: customers with their plan, expiry and training
 * used; group bindings; staff. Its forms (admin-actions.ts) run /sub, /bind and /staff
 * themselves (their schema, role and place checks), like every console action.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CommandRegistry } from '../../commands/registry';
import type { DeskServices } from '../../commands/types';
import { PLATFORMS } from '../core/chat';
import { UserError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Group, Identity, Person } from '../core/model';
import { mayRun } from '../desk/roles';
import type { Session } from '../desk/signin';
import { registerAdminActions } from './admin-actions';
import { html } from './html';
import { layout, type PageKit } from './pages';
import { takeNotice } from './session';

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
  /** Staff with the platform accounts /staff knows them by. */
  readonly staff: readonly { readonly person: Person; readonly identities: readonly Identity[] }[];
  readonly plans: readonly string[];
  /** The platforms a group or account may be on. */
  readonly platforms: readonly string[];
}

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
  const option = (value: string, label = value) => html`<option value="${value}">${label}</option>`;
  const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;
  const removeButton = (i: Identity) =>
    html`<form method="post" action="/admin/staff" class="inline">${hidden('_csrf', kit.csrf)}${hidden('action', 'remove')}${hidden('platform', i.platform)}${hidden('user', i.userId)}<button>${t('web.admin.staff_remove')}</button></form>`;
  const staff = view.staff.map(
    ({ person: p, identities }) =>
      html`<tr data-person="${p.id}"><td>${p.name}</td><td>${t(`audience.${p.role}`)}</td><td>${identities.map((i) => html`<span>${i.platform}: ${i.userId}</span> ${removeButton(i)} `)}</td></tr>`,
  );
  const platforms = view.platforms.map((p) => option(p));
  const targets = [
    ...view.customers.map((c) => option(c.id, c.name)),
    ...(['staff', 'managers', 'community'] as const).map((w) => option(w, t(`web.admin.bind_${w}`))),
  ];
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
<form method="post" action="/admin/bind" id="bind">${hidden('_csrf', kit.csrf)}
<select name="platform">${platforms}</select>
<input name="chat" required maxlength="200" placeholder="${t('web.admin.chat_id')}">
<input name="title" maxlength="200" placeholder="${t('web.admin.chat_title')}">
<select name="target">${targets}</select>
<button>${t('web.admin.bind')}</button></form>
<h2>${t('web.admin.staff')}</h2>
<table id="staff"><tr><th>${t('web.report.col.engineer')}</th><th>${t('web.admin.role')}</th><th>${t('web.admin.accounts')}</th></tr>${staff}</table>
<form method="post" action="/admin/staff" id="staff-add">${hidden('_csrf', kit.csrf)}${hidden('action', 'add')}
<select name="platform">${platforms}</select>
<input name="user" required maxlength="200" placeholder="${t('web.admin.user_id')}">
<input name="name" maxlength="100" placeholder="${t('web.admin.user_name')}">
<select name="role">${option('engineer', t('audience.engineer'))}${option('manager', t('audience.manager'))}</select>
<button>${t('web.admin.staff_add')}</button></form>
<p class="meta">${t('web.admin.as_in_chat')}</p>`,
  );
}

export interface AdminDeps {
  readonly desk: () => DeskServices;
  readonly registry: CommandRegistry;
  readonly logger: Logger;
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
    const people = [
      ...(await desk.store.listPeople({ role: 'admin' })),
      ...(await desk.store.listPeople({ role: 'manager' })),
      ...(await desk.store.listPeople({ role: 'engineer' })),
    ];
    const staff = [];
    for (const person of people)
      staff.push({ person, identities: await desk.store.listIdentities(person.id) });
    const view = {
      customers: await customerRows(desk),
      groups: await desk.store.listGroups(),
      staff,
      plans: desk.plans.ids(),
      platforms: PLATFORMS,
    };
    const kit = deps.kitFor(reply, session.person, takeNotice(req, reply));
    return reply.type('text/html; charset=utf-8').send(adminPage(kit, view));
  });
  registerAdminActions(app, { ...deps, manager });
}
