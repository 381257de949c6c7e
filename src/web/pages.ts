/**
 * The console's pages, server-rendered: the queue (or a customer's own tickets), a ticket
 * with its whole history, sign-in, and errors. Every text comes from the locale files
 * (`web.*`); every value passes through `html`, which escapes it.
 */
import type { Locale, Translator } from '../core/i18n';
import { type Person, PRIORITIES, type Ticket, type TicketEvent } from '../core/model';
import type { Formatter } from '../desk/format';
import { isStaff } from '../desk/roles';
import { Html, html } from './html';
import { REPORT_LIMIT, type ReportFigures } from './reports';

export interface PageKit {
  readonly translator: Translator;
  readonly format: Formatter;
  readonly locale: Locale;
  readonly csrf: string;
  readonly person?: Person;
  readonly notice?: { readonly text: string; readonly error: boolean };
}

type T = (key: string, params?: Record<string, string | number>) => string;
const tOf =
  (kit: PageKit): T =>
  (key, params) =>
    kit.translator.t(kit.locale, key, params);

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}header{background:#24425e;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center}
header a{color:#fff}main{padding:1em;max-width:70em}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
.overdue{color:#b00020;font-weight:600}.notice{padding:.5em 1em;background:#e8f4e8;border:1px solid #9c9}.notice.error{background:#fdecea;border-color:#e99}
.event{border-left:4px solid #ccc;padding:.3em .8em;margin:.6em 0;white-space:pre-wrap}.event.internal_note{border-color:#d9a400;background:#fff8e1}.event.staff_reply{border-color:#3a7}
.event.customer_message{border-color:#47a}.meta{color:#666;font-size:.9em}form.inline{display:inline}textarea{width:100%;min-height:5em}#changed{display:none}`;

export function layout(kit: PageKit, title: string, body: Html): string {
  const t = tOf(kit);
  const who = kit.person
    ? html`<span>${t('web.signed_in_as', { name: kit.person.name })}</span>
<form method="post" action="/signout" class="inline"><input type="hidden" name="_csrf" value="${kit.csrf}"><button>${t('web.sign_out')}</button></form>`
    : '';
  const notice = kit.notice
    ? html`<p class="notice${kit.notice.error ? ' error' : ''}" role="status">${kit.notice.text}</p>`
    : '';
  return html`<!doctype html>
<html lang="${kit.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · GroupDesk</title><style>${new Html(STYLE)}</style><script src="/app.js" defer></script></head>
<body><header><strong><a href="/">GroupDesk</a></strong>${who}</header><main>${notice}
<p id="changed" class="notice"><a href="">${t('web.changed')}</a></p>
${body}</main></body></html>`.text;
}

export function messagePage(kit: PageKit, title: string, text: string): string {
  return layout(kit, title, html`<h1>${title}</h1><p>${text}</p>`);
}

export function signInPage(kit: PageKit, person: Person, token: string): string {
  const t = tOf(kit);
  return layout(
    kit,
    t('web.signin.title'),
    html`<h1>${t('web.signin.title')}</h1><p>${t('web.signin.confirm', { name: person.name })}</p>
<form method="post" action="/signin"><input type="hidden" name="_csrf" value="${kit.csrf}"><input type="hidden" name="token" value="${token}">
<button id="signin">${t('web.signin.button')}</button></form>`,
  );
}

export interface QueueView {
  readonly tickets: readonly Ticket[];
  readonly names: ReadonlyMap<string, string>;
  readonly now: number;
  readonly filters: Readonly<Record<string, string | undefined>>;
  readonly customers: readonly string[];
  readonly plans: readonly string[];
  /** A subscriber's plan, as /plan words it (what it includes, until when, training left). */
  readonly plan: readonly string[];
  readonly assignees: readonly Person[];
  /** Set when the store's answer was cut at this many tickets. */
  readonly capped?: number;
}

export function queuePage(kit: PageKit, view: QueueView): string {
  const t = tOf(kit);
  const staff = kit.person !== undefined && isStaff(kit.person.role);
  const state = (s: string) => t(`${staff ? 'staff_state' : 'state'}.${s}`);
  const option = (value: string, label: string, current: string | undefined) =>
    html`<option value="${value}"${current === value ? new Html(' selected') : ''}>${label}</option>`;
  const f = view.filters;
  const filters = html`<form method="get" action="/" id="filters">
${
  staff
    ? html`<label>${t('web.filter.customer')} <select name="customer">${option('', t('web.filter.any'), f.customer)}${view.customers.map((c) => option(c, c, f.customer))}</select></label>
<label>${t('web.filter.assignee')} <select name="assignee">${option('', t('web.filter.any'), f.assignee)}${option('none', t('status.unassigned'), f.assignee)}${view.assignees.map((p) => option(p.id, p.name, f.assignee))}</select></label>
<label>${t('web.filter.plan')} <select name="plan">${option('', t('web.filter.any'), f.plan)}${view.plans.map((p) => option(p, p, f.plan))}</select></label>
<label>${t('web.filter.priority')} <select name="priority">${option('', t('web.filter.any'), f.priority)}${PRIORITIES.map((p) => option(p, p.toUpperCase(), f.priority))}</select></label>`
    : ''
}
<label>${t('web.filter.status')} <select name="status">${option('', t('web.filter.active'), f.status)}${['open', 'claimed', 'waiting_on_customer', 'resolved', 'closed'].map((s) => option(s, state(s), f.status))}</select></label>
<label>${t('web.filter.search')} <input type="search" name="q" maxlength="200" value="${f.q ?? ''}"></label>
<label><input type="checkbox" name="overdue" value="1"${f.overdue ? new Html(' checked') : ''}> ${t('web.filter.overdue')}</label>
<button>${t('web.filter.apply')}</button></form>`;
  const rows = view.tickets.map((ticket) => {
    const late =
      ticket.dueAt !== undefined && ticket.firstResponseAt === undefined && ticket.dueAt < view.now;
    return html`<tr data-ticket="${ticket.number}"><td><a href="/tickets/${ticket.number}">#${ticket.number}</a></td>
<td>${ticket.priority.toUpperCase()}</td><td>${state(ticket.status)}</td>${staff ? html`<td>${ticket.customerId}</td>` : ''}
<td><a href="/tickets/${ticket.number}">${ticket.subject}</a></td><td class="${late ? 'overdue' : ''}">${kit.format.deadline(kit.locale, ticket, view.now)}</td>
${staff ? html`<td>${ticket.assigneeId ? (view.names.get(ticket.assigneeId) ?? '?') : t('status.unassigned')}</td>` : ''}</tr>`;
  });
  const head = html`<tr><th>#</th><th>${t('web.col.priority')}</th><th>${t('web.col.status')}</th>${staff ? html`<th>${t('web.col.customer')}</th>` : ''}<th>${t('web.col.subject')}</th><th>${t('web.col.deadline')}</th>${staff ? html`<th>${t('web.col.assignee')}</th>` : ''}</tr>`;
  const title = staff ? t('web.queue.title') : t('web.mine.title');
  return layout(
    kit,
    title,
    html`<h1 data-live="queue">${title}</h1>
${view.plan.length ? html`<section id="plan"><h2>${t('web.plan.title')}</h2>${view.plan.map((line) => html`<p>${line}</p>`)}</section>` : ''}${filters}
${view.capped ? html`<p class="notice">${t('web.queue.capped', { limit: view.capped })}</p>` : ''}
${view.tickets.length ? html`<table id="queue">${head}${rows}</table>` : html`<p>${t('web.queue.empty')}</p>`}`,
  );
}

export interface TicketView {
  readonly ticket: Ticket;
  readonly events: readonly TicketEvent[];
  readonly names: ReadonlyMap<string, string>;
  readonly now: number;
  /** Who a ticket may be assigned to (staff only). */
  readonly staff: readonly Person[];
}

/** http(s) links in a message (attachment lines carry them) become anchors; the rest stays text. */
export function linked(text: string): Html {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g);
  return html`${parts.map((part, i) => {
    if (i % 2 === 0) return part;
    try {
      const url = new URL(part);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return part;
      return html`<a href="${url.href}" rel="noopener noreferrer nofollow" target="_blank">${part}</a>`;
    } catch {
      return part;
    }
  })}`;
}

export function ticketPage(kit: PageKit, view: TicketView): string {
  const t = tOf(kit);
  const { ticket } = view;
  const staff = kit.person !== undefined && isStaff(kit.person.role);
  const name = (id: string | undefined) =>
    id === undefined ? t('status.unassigned') : id === 'system' ? 'GroupDesk' : (view.names.get(id) ?? id);
  const state = (s: string | undefined) => (s ? t(`${staff ? 'staff_state' : 'state'}.${s}`) : '');
  // A customer never sees internal notes, nor the desk's own reminders to its staff.
  const shown = staff
    ? view.events
    : view.events.filter((e) => e.kind !== 'internal_note' && e.kind !== 'reminder_sent');
  const events = shown.map((e) => {
    const what =
      e.kind === 'status_change'
        ? t('web.event.status_change', { from: state(e.from), to: state(e.to) })
        : e.kind === 'assignment'
          ? t('web.event.assignment', { to: name(e.to) })
          : e.kind === 'priority_change'
            ? t('web.event.priority_change', { to: String(e.to).toUpperCase() })
            : t(`web.event.${e.kind}`);
    return html`<div class="event ${e.kind}"><div class="meta">${kit.format.time(e.at)} · ${name(e.actorId)} · <strong>${what}</strong></div>${linked(e.text ?? '')}</div>`;
  });
  const form = (
    action: string,
    label: string,
    field?: { name: string; required: boolean; placeholder: string },
  ) =>
    html`<form method="post" action="/tickets/${ticket.number}/${action}" class="action"><input type="hidden" name="_csrf" value="${kit.csrf}">
${field ? html`<textarea name="${field.name}" placeholder="${field.placeholder}"${field.required ? new Html(' required') : ''} maxlength="16000"></textarea>` : ''}
<button id="${action}">${label}</button></form>`;
  const choice = (
    action: string,
    name: string,
    label: string,
    options: readonly (readonly [string, string])[],
    current: string | undefined,
  ) =>
    html`<form method="post" action="/tickets/${ticket.number}/${action}" class="action"><input type="hidden" name="_csrf" value="${kit.csrf}">
<select name="${name}" id="${action}-${name}">${options.map(([value, text]) => html`<option value="${value}"${value === current ? new Html(' selected') : ''}>${text}</option>`)}</select>
<button id="${action}">${label}</button></form>`;
  const active = ticket.status !== 'closed';
  const actions = !active
    ? ''
    : staff
      ? html`${ticket.assigneeId !== kit.person?.id ? form('claim', t('web.action.claim')) : ''}
${form('reply', t('web.action.reply'), { name: 'text', required: true, placeholder: t('web.placeholder.reply') })}
${form('note', t('web.action.note'), { name: 'text', required: true, placeholder: t('web.placeholder.note') })}
${ticket.status !== 'resolved' ? form('resolve', t('web.action.resolve'), { name: 'summary', required: false, placeholder: t('web.placeholder.summary') }) : ''}
${ticket.status !== 'waiting_on_customer' && ticket.status !== 'resolved' ? form('wait', t('web.action.wait'), { name: 'question', required: false, placeholder: t('web.placeholder.question') }) : ''}
${choice(
  'assign',
  'who',
  t('web.action.assign'),
  view.staff.map((p) => [p.id, p.name] as const),
  ticket.assigneeId,
)}
${choice(
  'priority',
  'level',
  t('web.action.priority'),
  PRIORITIES.map((p) => [p, p.toUpperCase()] as const),
  ticket.priority,
)}`
      : form('reply', t('web.action.answer'), {
          name: 'text',
          required: true,
          placeholder: t('web.placeholder.answer'),
        });
  const title = `#${ticket.number} ${ticket.subject}`;
  return layout(
    kit,
    title,
    html`<h1 data-live="ticket" data-ticket="${ticket.number}">${title}</h1>
<p class="meta">${ticket.priority.toUpperCase()} · ${state(ticket.status)}${staff ? html` · ${ticket.customerId} · ${name(ticket.assigneeId)}` : ''} · ${kit.format.deadline(kit.locale, ticket, view.now)}</p>
<section id="history">${events}</section><section id="actions">${actions}</section>`,
  );
}

export interface ReportView {
  readonly figures: ReportFigures;
  /** The query string of this period, for the CSV link. */
  readonly query: string;
  readonly days?: number;
  readonly from?: string;
  readonly to?: string;
}

export function reportsPage(kit: PageKit, view: ReportView): string {
  const t = tOf(kit);
  const { figures } = view;
  const option = (days: number) =>
    html`<option value="${days}"${view.days === days ? new Html(' selected') : ''}>${t('web.report.days', { days })}</option>`;
  const tables = figures.tables.map(
    (table) => html`<h2>${t(`web.report.${table.section}`)}</h2>
${
  table.rows.length
    ? html`<table id="report-${table.section}"><tr>${table.columns.map((c) => html`<th>${t(`web.report.col.${c}`)}</th>`)}</tr>
${table.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</table>`
    : html`<p>${t('report.none')}</p>`
}`,
  );
  return layout(
    kit,
    t('web.report.title'),
    html`<h1>${t('web.report.title')}</h1>
<form method="get" action="/reports" id="period"><label>${t('web.report.period')} <select name="days">${[7, 30, 90].map(option)}</select></label>
<label>${t('web.report.from')} <input type="date" name="from" value="${view.from ?? ''}"></label>
<label>${t('web.report.to')} <input type="date" name="to" value="${view.to ?? ''}"></label><button>${t('web.filter.apply')}</button></form>
<p><a href="/reports.csv?${view.query}" id="csv">${t('web.report.csv')}</a> · <a href="/?overdue=1">${t('web.report.overdue')}</a></p>
${figures.truncated ? html`<p class="notice">${t('web.report.truncated', { limit: REPORT_LIMIT })}</p>` : ''}
<div style="max-width:40em"><canvas id="compliance" data-label="${t('web.report.col.percent')}" data-chart="${JSON.stringify(figures.chart)}"></canvas></div>
${tables}
<script src="/vendor/chart.umd.min.js"></script><script src="/reports.js"></script>`,
  );
}
