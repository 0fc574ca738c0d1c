import { DateTime } from 'luxon';

/** The start of the calendar day that `at` falls on in `timeZone` (a rep's "new leads a day" cap counts from it). */
export function startOfLocalDay(timeZone: string, at: Date): Date {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf('day').toJSDate();
}
