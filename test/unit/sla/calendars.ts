/** Calendars and time helpers shared by the SLA calendar tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dayjs from 'dayjs';
import { parseCalendar, type WorkCalendar } from '../../../src/core/sla/calendar.schema';
import { toZonedIso } from '../../../src/core/sla/zone';

export const MIN = 60_000;
export const H = 3_600_000;

/** Epoch ms of an ISO string; the offset is required so the host's zone never matters. */
export function at(iso: string): number {
  if (!/(?:Z|[+-]\d\d:\d\d)$/.test(iso)) throw new Error(`test instant without an offset: ${iso}`);
  return dayjs(iso).valueOf();
}

/** ISO string with the calendar zone's offset, for readable expectations. */
export function iso(ms: number, cal: WorkCalendar): string {
  return toZonedIso(ms, cal.timezone);
}

export function loadShipped(name: string): WorkCalendar {
  const file = join(__dirname, '../../../config/calendars', `${name}.json`);
  return parseCalendar(JSON.parse(readFileSync(file, 'utf8')), file);
}

type Hours = Array<[string, string]>;

/** A calendar with the same hours every day of the week (weekends included). */
export function everyDay(timezone: string, hours: Hours, extra: Record<string, unknown> = {}): WorkCalendar {
  const week = { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours };
  return parseCalendar({ id: 'test', timezone, week, ...extra });
}

/** China mainland 2026 (shipped file). */
export const cn = loadShipped('cn-workdays');
/** US Eastern office hours with federal holidays (shipped file). */
export const us = loadShipped('us-eastern');
/** New York, every day 00:00–24:00: the same as no calendar at all. */
export const nyAllDay = everyDay('America/New_York', [['00:00', '24:00']]);
/** New York, every day 09:00–17:00, so DST Sundays have working hours. */
export const nyNineToFive = everyDay('America/New_York', [['09:00', '17:00']]);
/** New York, every day 01:00–03:30: crosses both DST switches. */
export const nyNight = everyDay('America/New_York', [['01:00', '03:30']]);
/** Shanghai night shift across midnight. */
export const nightShift = everyDay('Asia/Shanghai', [
  ['00:00', '02:00'],
  ['22:00', '24:00'],
]);
