/**
 * A store that times every call (`DeskMetrics.storeCall`) and counts the two facts only the
 * store knows for certain: a ticket was created (not a de-duplicated retry) and a staff
 * answer was recorded. A Proxy rather than a class listing the Store's forty methods, so the
 * ledger, macros and search the SQLite and Mongo stores also implement stay metered and
 * visible to `isSlaStore`, `isMacroStore` and `isTicketSearch`.
 */
import { performance } from 'node:perf_hooks';
import type { DeskMetrics } from '../core/metrics';
import type { NewEvent } from '../core/ports';

type AnyFunction = (...args: unknown[]) => unknown;

export function meteredStore<S extends object>(store: S, metrics: DeskMetrics): S {
  const wrapped = new Map<PropertyKey, AnyFunction>();
  const counted = (name: string, args: unknown[], result: unknown) => {
    if (name === 'createTicket' && (result as { created?: boolean }).created === true)
      metrics.ticketOpened((result as { ticket: { platform: string } }).ticket.platform);
    const events =
      name === 'addEvent' ? [args[1]] : name === 'updateTicket' && result !== undefined ? args[3] : [];
    for (const event of events as (NewEvent | undefined)[])
      if (event?.kind === 'staff_reply') metrics.reply();
  };
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string' || key === 'constructor') return value;
      const known = wrapped.get(key);
      if (known) return known;
      const method = value as AnyFunction;
      const timed: AnyFunction = (...args) => {
        const started = performance.now();
        const done = (failed: boolean) =>
          metrics.storeCall(key, (performance.now() - started) / 1000, failed);
        let result: unknown;
        try {
          result = method.apply(target, args);
        } catch (error) {
          done(true);
          throw error;
        }
        // Only promises are timed: exportAll's async iterable is a stream, not a call.
        if (!(result instanceof Promise)) return result;
        return result.then(
          (value: unknown) => {
            done(false);
            counted(key, args, value);
            return value;
          },
          (error: unknown) => {
            done(true);
            throw error;
          },
        );
      };
      wrapped.set(key, timed);
      return timed;
    },
  });
}
