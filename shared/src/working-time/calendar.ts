import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * A person's working time: the IANA zone they work in and their hours per weekday, in that zone's
 * wall-clock time. Routing asks whether a rep is at work and counts SLA minutes in it; tasks and
 * cadences put due times on working days in it.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM');
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const workingIntervalSchema = z
  .object({ start: clock, end: clock })
  .strict()
  .refine((i) => minutesOf(i.start) < minutesOf(i.end), {
    message: 'end must be after start',
    path: ['end'],
  });

const daySchema = z
  .array(workingIntervalSchema)
  .max(4)
  .refine(
    (day) => day.every((interval, i) => i === 0 || minutesOf(day[i - 1]!.end) <= minutesOf(interval.start)),
    { message: 'intervals must be in order and not overlap' },
  );

export const workingHoursSchema = z
  .object(Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema])) as Record<Weekday, typeof daySchema>)
  .strict()
  .refine((hours) => WEEKDAYS.some((d) => hours[d].length > 0), { message: 'at least one working day' })
  .meta({ id: 'WorkingHours' });
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), { message: 'an IANA time zone such as Europe/Berlin' });

const nineToFive = [{ start: '09:00', end: '17:00' }];
/** Monday to Friday, 09:00 to 17:00: what a new user works until they say otherwise. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  mon: nineToFive,
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: nineToFive,
  sat: [],
  sun: [],
};
export const DEFAULT_TIME_ZONE = 'UTC';

export interface WorkCalendar {
  timeZone: string;
  hours: WorkingHours;
}

export function workCalendar(timeZone?: string | null, hours?: WorkingHours | null): WorkCalendar {
  return { timeZone: timeZone ?? DEFAULT_TIME_ZONE, hours: hours ?? DEFAULT_WORKING_HOURS };
}

/** One working interval of one local day, as instants (a DST change inside it is accounted for). */
interface Span {
  start: number;
  end: number;
}

function localDay(calendar: WorkCalendar, atMs: number): DateTime {
  return DateTime.fromMillis(atMs, { zone: calendar.timeZone }).startOf('day');
}

function weekdayOf(day: DateTime): Weekday {
  return WEEKDAYS[day.weekday - 1]!;
}

/** The instant of a wall-clock time on a local day; a time inside a DST gap moves forward. */
function instantOn(day: DateTime, hhmm: string): number {
  const minutes = minutesOf(hhmm);
  if (minutes === 24 * 60) return day.plus({ days: 1 }).toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

function spansOf(calendar: WorkCalendar, day: DateTime): Span[] {
  return calendar.hours[weekdayOf(day)]
    .map((i) => ({ start: instantOn(day, i.start), end: instantOn(day, i.end) }))
    .filter((s) => s.start < s.end);
}

/** Working spans from the local day of `fromMs` on, day by day (at most two years ahead). */
function* spansFrom(calendar: WorkCalendar, fromMs: number): Generator<Span> {
  let day = localDay(calendar, fromMs);
  for (let i = 0; i < 800; i++) {
    for (const span of spansOf(calendar, day)) if (span.end > fromMs) yield span;
    day = day.plus({ days: 1 });
  }
}

/** Whether the instant is inside working hours (start inclusive, end exclusive). */
export function isWorkingTime(calendar: WorkCalendar, at: Date): boolean {
  const ms = at.getTime();
  return spansOf(calendar, localDay(calendar, ms)).some((s) => s.start <= ms && ms < s.end);
}

/** `at` when it is working time, else the start of the next working interval. */
export function nextWorkingTime(calendar: WorkCalendar, at: Date): Date {
  const ms = at.getTime();
  for (const span of spansFrom(calendar, ms)) return new Date(Math.max(span.start, ms));
  throw new RangeError('no working time in the next two years');
}

/**
 * The instant `minutes` working minutes after `from`: time outside working hours does not count
 * (an SLA of 60 working minutes from Friday 16:30 ends Monday 09:30).
 */
export function addWorkingMinutes(calendar: WorkCalendar, from: Date, minutes: number): Date {
  let left = minutes * 60_000;
  const fromMs = from.getTime();
  for (const span of spansFrom(calendar, fromMs)) {
    const start = Math.max(span.start, fromMs);
    if (start + left <= span.end) return new Date(start + left);
    left -= span.end - start;
  }
  throw new RangeError('no working time in the next two years');
}

/** Working milliseconds between two instants (0 when `to` is not after `from`). */
export function workingMsBetween(calendar: WorkCalendar, from: Date, to: Date): number {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  let total = 0;
  for (const span of spansFrom(calendar, fromMs)) {
    if (span.start >= toMs) break;
    total += Math.min(span.end, toMs) - Math.max(span.start, fromMs);
  }
  return Math.max(0, total);
}

/** Whether the local day has any working time. */
function isWorkingDay(calendar: WorkCalendar, day: DateTime): boolean {
  return spansOf(calendar, day).length > 0;
}

/**
 * A due time `days` working days after `from`, at the same wall-clock time, moved into that day's
 * working hours (before the first interval: its start; between intervals: the next one's start;
 * after the last: a minute before it ends). `days = 0` is today if today is a working day.
 */
export function addWorkingDays(calendar: WorkCalendar, from: Date, days: number): Date {
  if (!WEEKDAYS.some((d) => calendar.hours[d].length > 0)) throw new RangeError('no working day in the week');
  let day = localDay(calendar, from.getTime());
  let left = Math.max(0, Math.floor(days));
  while (!isWorkingDay(calendar, day)) day = day.plus({ days: 1 });
  while (left > 0) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(calendar, day)) left--;
  }
  const wall = DateTime.fromMillis(from.getTime(), { zone: calendar.timeZone });
  const wanted = day.set({ hour: wall.hour, minute: wall.minute, second: 0, millisecond: 0 }).toMillis();
  const spans = spansOf(calendar, day);
  for (const span of spans) {
    if (wanted < span.start) return new Date(span.start);
    if (wanted < span.end) return new Date(wanted);
  }
  const last = spans[spans.length - 1]!;
  return new Date(Math.max(last.start, last.end - 60_000));
}
