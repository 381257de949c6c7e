/**
 * Zod schema of config/sla.json: reminder stages, quiet hours, renewal reminders, the
 * daily digest and the scheduler. Every key has a default, so the file may hold only what
 * a vendor changes (or be absent).
 */
import cron from 'node-cron';
import { z } from 'zod';

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

const stage = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: 'expected a lowercase id like "half"' }),
  percent: z.number().positive().max(100),
  notify: z.enum(['assignee', 'staff', 'managers']),
});

export const DEFAULT_STAGES = [
  { id: 'half', percent: 50, notify: 'assignee' },
  { id: 'late', percent: 80, notify: 'assignee' },
  { id: 'breach', percent: 100, notify: 'managers' },
] as const;

const tickets = z.strictObject({
  stages: z
    .array(stage)
    .default([...DEFAULT_STAGES])
    .superRefine((stages, ctx) => {
      stages.forEach((s, i) => {
        const before = stages[i - 1];
        if (before && s.percent <= before.percent)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'percent'],
            message: 'expected stages in ascending percent order',
          });
        if (stages.findIndex((o) => o.id === s.id) !== i)
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate stage id "${s.id}"` });
      });
    }),
  repeatEveryWorkingHours: z.number().positive().max(168).nullable().default(4),
  quietHours: z.boolean().default(true),
  breachAlerts: z.enum(['always', 'working_hours']).default('always'),
});

const subscriptions = z.strictObject({
  daysBefore: z.array(z.number().int().min(1).max(90)).max(10).default([7, 1]),
  onGraceStart: z.boolean().default(true),
  onExpiry: z.boolean().default(true),
});

const digest = z.strictObject({
  enabled: z.boolean().default(true),
  at: z.string().regex(HHMM, { message: 'expected a time "HH:mm" such as "09:30"' }).default('09:30'),
  atRiskPercent: z.number().positive().max(100).default(80),
  skipWhenEmpty: z.boolean().default(true),
  calendarWarningDays: z.number().int().min(0).max(366).default(30),
});

const scheduler = z
  .strictObject({
    cron: z
      .string()
      .default('* * * * *')
      .refine((expression) => cron.validate(expression), {
        message: 'expected a node-cron expression such as "* * * * *" (every minute)',
      }),
    batchSize: z.number().int().min(1).max(1000).default(100),
    maxPerTick: z.number().int().min(1).max(10_000).default(1000),
    leaseSeconds: z.number().int().min(10).max(3600).default(120),
    sendTimeoutSeconds: z.number().int().min(1).max(600).default(30),
    retry: z
      .strictObject({
        maxAttempts: z.number().int().min(1).max(50).default(6),
        firstDelaySeconds: z.number().int().min(1).max(86_400).default(60),
        maxDelaySeconds: z.number().int().min(1).max(86_400).default(3600),
      })
      .prefault({}),
  })
  .superRefine((s, ctx) => {
    // A batch is claimed, then sent one reminder after another: slow sends must not outlive the claim.
    if (s.sendTimeoutSeconds * 4 > s.leaseSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['sendTimeoutSeconds'],
        message: `expected at most a quarter of leaseSeconds (${s.leaseSeconds})`,
      });
    }
  });

export const slaConfigSchema = z.strictObject({
  tickets: tickets.prefault({}),
  subscriptions: subscriptions.prefault({}),
  digest: digest.prefault({}),
  scheduler: scheduler.prefault({}),
});

/** Parsed sla.json: the core's SlaRules (load.ts assigns one to the other, so tsc checks they agree). */
export type SlaConfig = z.output<typeof slaConfigSchema>;
