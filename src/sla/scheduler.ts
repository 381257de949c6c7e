/**
 * The SLA scheduler: one node-cron job, created by `start()` and destroyed by `stop()`
 * (nothing runs at import time, and nothing is left behind). Each tick plans the day's
 * digest and the hourly renewal sweep, then hands the due reminders to the worker. Ticks
 * never overlap within a process (node-cron's noOverlap, plus a chain for direct calls);
 * across processes the ledger's claims keep every reminder to one sender.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../core/logger';
import type { Clock, Store } from '../core/ports';
import type { ReminderPlanner } from '../core/sla/planner';
import type { Housekeeping } from './housekeeping';
import type { ReminderWorker, TickResult } from './worker';

/**
 * Work that rides on the scheduler's ticks besides reminders (the upstream poller): run
 * after the reminders, in order; a job decides itself whether this tick is its turn, and
 * its failure is logged and never stops the tick.
 */
export interface ScheduledJob {
  readonly name: string;
  run(now: number): Promise<void>;
}

export interface SchedulerOptions {
  /** node-cron expression (validated at load: config/sla.schema.ts). */
  readonly cron: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  readonly planner: ReminderPlanner;
  readonly housekeeping: Housekeeping;
  readonly worker: ReminderWorker;
  /** Told after every tick (tests await it rather than sleep). */
  readonly onTick?: (result: TickResult) => void;
}

export class SlaScheduler {
  private task: ScheduledTask | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly jobs: ScheduledJob[] = [];

  constructor(private readonly o: SchedulerOptions) {}

  /** Adds a job to every tick from the next one on (composeServices adds the upstream poller). */
  addJob(job: ScheduledJob): void {
    this.jobs.push(job);
  }

  get started(): boolean {
    return this.task !== undefined;
  }

  /** Re-plans running tickets (repairs a crash between a ticket write and its plan), then starts the job. */
  async start(): Promise<void> {
    if (this.task) return;
    const { logger } = this.o;
    const upgraded = await this.o.planner.upgrade(this.o.store).catch((error: unknown) => {
      logger.error('could not give stored tickets their SLA clocks', { error: String(error) });
      return 0;
    });
    if (upgraded > 0)
      logger.info('SLA clocks given to tickets stored by an older version', { tickets: upgraded });
    const replanned = await this.o.planner.reconcile(this.o.store).catch((error: unknown) => {
      logger.error('could not re-plan running tickets', { error: String(error) });
      return 0;
    });
    if (this.task) return; // started meanwhile by another call
    this.task = cron.createTask(
      this.o.cron,
      async () => {
        try {
          await this.tick(this.o.clock.now());
        } catch (error) {
          logger.error('SLA tick failed', { error: String(error) });
        }
      },
      {
        name: 'groupdesk-sla',
        noOverlap: true,
        logger: {
          info: (m) => logger.debug(`node-cron: ${m}`),
          warn: (m) => logger.warn(`node-cron: ${m}`),
          error: (m) => logger.error(`node-cron: ${String(m)}`),
          debug: (m) => logger.debug(`node-cron: ${String(m)}`),
        },
      },
    );
    await this.task.start();
    logger.info('SLA scheduler started', { cron: this.o.cron, replanned });
  }

  /** Destroys the job (its timer goes with it), waits for a tick in progress, writes pending plans. */
  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
    await this.chain.catch(() => undefined);
    await this.o.planner.flush();
  }

  /** One tick at `now`, after any tick in progress. The playground's `:clock` and the tests call it directly. */
  tick(now: number): Promise<TickResult> {
    const next = this.chain.catch(() => undefined).then(() => this.once(now));
    this.chain = next;
    return next;
  }

  private async once(now: number): Promise<TickResult> {
    // Plans made in this process since the last tick go to the ledger before anything is claimed.
    await this.o.planner.flush(now);
    try {
      await this.o.housekeeping.run(now);
    } catch (error) {
      this.o.logger.error('SLA housekeeping failed', { error: String(error) });
    }
    const result = await this.o.worker.run(now);
    // After the reminders: a job that waits on the network never delays one.
    for (const job of this.jobs) {
      try {
        await job.run(now);
      } catch (error) {
        this.o.logger.error('scheduled job failed', { job: job.name, error: String(error) });
      }
    }
    if (result.claimed > 0) this.o.logger.debug('SLA tick', { ...result });
    this.o.onTick?.(result);
    return result;
  }
}
