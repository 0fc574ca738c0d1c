import { DateTime } from 'luxon';
import { addWorkingDays, nextWorkingTime, type WorkCalendar } from '../working-time/calendar';

/** How far a rep snoozes a task. */
export const SNOOZE_OPTIONS = ['hour', 'tomorrow', 'next_week'] as const;
export type Snooze = (typeof SNOOZE_OPTIONS)[number];

export const SNOOZE_LABELS: Readonly<Record<Snooze, string>> = {
  hour: '1 h',
  tomorrow: 'Tomorrow',
  next_week: 'Next week',
};

/** The start of the first working interval of a local day at or after `day` that has one. */
function startOfWorkingDay(calendar: WorkCalendar, day: DateTime): Date {
  return nextWorkingTime(calendar, day.startOf('day').toJSDate());
}

/**
 * When a task due `days` working days from `from` falls due, in its assignee's working time:
 * `days = 0` is now (or the next working moment), later days keep the wall-clock time.
 *
 * @example
 * // Friday 15:00 in Berlin, 1 working day: Monday 15:00 in Berlin
 * taskDueIn(workCalendar('Europe/Berlin'), new Date('2026-12-04T14:00:00Z'), 1);
 */
export function taskDueIn(calendar: WorkCalendar, from: Date, days: number): Date {
  if (days <= 0) return nextWorkingTime(calendar, from);
  return addWorkingDays(calendar, nextWorkingTime(calendar, from), days);
}

/**
 * Until when a snoozed task hides: an hour of wall-clock time (then the next working moment),
 * the start of the next working day, or the start of the first working day of next week.
 */
export function snoozeUntil(calendar: WorkCalendar, now: Date, snooze: Snooze): Date {
  const local = DateTime.fromJSDate(now, { zone: calendar.timeZone });
  switch (snooze) {
    case 'hour':
      return nextWorkingTime(calendar, new Date(now.getTime() + 3_600_000));
    case 'tomorrow':
      return startOfWorkingDay(calendar, local.plus({ days: 1 }));
    case 'next_week':
      return startOfWorkingDay(calendar, local.startOf('week').plus({ weeks: 1 }));
  }
}

/** The end of the rep's local day holding `now` (the bound of "due today"). */
export function endOfLocalDay(calendar: WorkCalendar, now: Date): Date {
  return DateTime.fromJSDate(now, { zone: calendar.timeZone }).endOf('day').toJSDate();
}

/** The end of the rep's local week holding `now` (Monday-based; the bound of "due this week"). */
export function endOfLocalWeek(calendar: WorkCalendar, now: Date): Date {
  return DateTime.fromJSDate(now, { zone: calendar.timeZone }).endOf('week').toJSDate();
}
