/**
 * The managers' reports page and its CSV: the figures of /report (src/core/sla/report.ts)
 * over a chosen period, as tables, one chart (Chart.js, served from node_modules by
 * this server) and a CSV download of the same rows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DeskServices } from '../../commands/types';
import type { Ticket } from '../core/model';
import { compliancePercent, holderAt, percentile, slaReport, targetOutcome } from '../core/sla/report';
import type { Cell } from './csv';

const DAY_MS = 86_400_000;
/** As /report: the store answers at most 500 tickets per query. */
export const REPORT_LIMIT = 500;

export interface Period {
  readonly from: number;
  readonly to: number;
}

/** One table of the report: its section key (a locale key under web.report.), header keys and rows. */
export interface ReportTable {
  readonly section: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface ReportFigures {
  readonly period: Period;
  readonly tables: readonly ReportTable[];
  /** Compliance per plan, for the chart: labels and percents (null when nothing was decided). */
  readonly chart: { readonly labels: string[]; readonly percent: (number | null)[] };
  readonly truncated: boolean;
}

/** `days` back from now, or from/to as YYYY-MM-DD days (UTC, `to` inclusive). */
export function periodOf(now: number, q: { days?: number; from?: string; to?: string }): Period {
  if (q.from && q.to) {
    const from = Date.parse(`${q.from}T00:00:00Z`);
    const to = Date.parse(`${q.to}T00:00:00Z`) + DAY_MS;
    return { from, to: Math.max(from, to) };
  }
  return { from: now - (q.days ?? 7) * DAY_MS, to: now };
}

export async function reportFigures(desk: DeskServices, period: Period): Promise<ReportFigures> {
  const { store, clock, directory } = desk;
  const now = clock.now();
  const fetched = await store.queryTickets({ createdSince: period.from, limit: REPORT_LIMIT });
  const tickets = fetched.filter((t) => t.createdAt < period.to);
  const holders = new Map<number, string | undefined>();
  for (const t of tickets) {
    if (targetOutcome(t, now) === 'breached' && t.dueAt !== undefined)
      holders.set(t.number, holderAt(await store.listEvents(t.number), t.dueAt));
  }
  const report = slaReport(tickets, now, (t) => holders.get(t.number));
  const open = await store.queryTickets({
    statuses: ['open', 'claimed', 'waiting_on_customer'],
    limit: REPORT_LIMIT,
  });
  const name = async (id: string) => (id ? ((await store.getPerson(id))?.name ?? id) : '');
  const compliance = (label: string, c: { met: number; breached: number }): Cell[] => [
    label,
    c.met,
    c.breached,
    compliancePercent(c) ?? '',
  ];
  const minutes = (ms: number | undefined) => (ms === undefined ? '' : Math.round(ms / 60_000));
  const customers: Cell[][] = [];
  for (const [id, c] of report.byCustomer)
    customers.push(compliance((await store.getCustomer(id))?.name ?? id, c));
  const engineers = new Map<string, { load: number; breaches: number; responses: number[] }>();
  const row = (id: string) => {
    const e = engineers.get(id) ?? { load: 0, breaches: 0, responses: [] };
    engineers.set(id, e);
    return e;
  };
  for (const t of open) row(t.assigneeId ?? '').load++;
  for (const [id, n] of report.breachesByEngineer) row(id).breaches = n;
  for (const t of tickets)
    if (t.firstResponseAt !== undefined) row(t.assigneeId ?? '').responses.push(responseOf(t));
  const people: Cell[][] = [];
  for (const [id, e] of engineers) {
    people.push([
      await name(id),
      e.load,
      e.breaches,
      minutes(e.responses.length ? percentile(e.responses, 0.5) : undefined),
      minutes(e.responses.length ? percentile(e.responses, 0.9) : undefined),
    ]);
  }
  const training: Cell[][] = [];
  for (const customer of await store.listCustomers()) {
    const { plan, subscription } = await directory.effectivePlan(customer.id);
    if (subscription && plan.trainingSessions > 0)
      training.push([customer.name, plan.id, subscription.trainingUsed, plan.trainingSessions]);
  }
  const byPlan = [...report.byPlan];
  return {
    period,
    truncated: fetched.length >= REPORT_LIMIT,
    chart: { labels: byPlan.map(([id]) => id), percent: byPlan.map(([, c]) => compliancePercent(c) ?? null) },
    tables: [
      {
        section: 'summary',
        columns: ['opened', 'resolved', 'met', 'breached', 'percent', 'first_median', 'first_p90'],
        rows: [
          [
            report.opened,
            report.resolved,
            report.overall.met,
            report.overall.breached,
            compliancePercent(report.overall) ?? '',
            minutes(report.firstResponse?.median),
            minutes(report.firstResponse?.p90),
          ],
        ],
      },
      {
        section: 'by_plan',
        columns: ['plan', 'met', 'breached', 'percent'],
        rows: byPlan.map(([id, c]) => compliance(id, c)),
      },
      { section: 'by_customer', columns: ['customer', 'met', 'breached', 'percent'], rows: customers },
      {
        section: 'engineers',
        columns: ['engineer', 'load', 'breached', 'first_median', 'first_p90'],
        rows: people,
      },
      { section: 'training', columns: ['customer', 'plan', 'used', 'quota'], rows: training },
    ],
  };
}

function responseOf(t: Ticket): number {
  return (t.firstResponseAt ?? t.createdAt) - t.createdAt;
}

/** Chart.js's UMD build, read once from node_modules (no CDN, no build step). */
let chartJs: string | undefined;
export function chartScript(): string {
  // The package's exports map hides dist/ subpaths: find the UMD file beside its main entry.
  chartJs ??= readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

/** Draws the chart from the canvas's data-chart JSON (a file: the CSP allows no inline script). */
export const REPORTS_JS = `(() => {
  const canvas = document.getElementById('compliance');
  if (!canvas || typeof Chart === 'undefined') return;
  const data = JSON.parse(canvas.dataset.chart);
  new Chart(canvas, { type: 'bar', data: { labels: data.labels, datasets: [{ label: canvas.dataset.label, data: data.percent }] },
    options: { animation: false, scales: { y: { min: 0, max: 100 } } } });
})();
`;
