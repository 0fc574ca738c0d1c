import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  isWorkingTime,
  WEEKDAYS,
  type WorkCalendar,
  type WorkingHours,
  workCalendar,
  workingHoursSchema,
} from '../working-time/calendar';
import { matchesEnrolmentRule, stopCauseOf } from './cadence';
import { endOfLocalDay, SNOOZE_OPTIONS, snoozeUntil, taskDueIn } from './due';
import { TASK_OUTCOMES, TASK_TYPES, taskOutcome, taskTypeOfTouchpoint } from './kinds';
import { cadenceInputSchema, taskCreateSchema } from './schemas';

const berlin = workCalendar('Europe/Berlin');

describe('task due times, by example', () => {
  it('skips the weekend: Friday 15:00 in Berlin plus one working day is Monday 15:00', () => {
    expect(taskDueIn(berlin, new Date('2026-12-04T14:00:00Z'), 1).toISOString()).toBe(
      '2026-12-07T14:00:00.000Z',
    );
  });

  it('is due now within working hours, else at the next working moment', () => {
    expect(taskDueIn(berlin, new Date('2026-12-02T10:00:00Z'), 0).toISOString()).toBe(
      '2026-12-02T10:00:00.000Z',
    );
    // Saturday evening: Monday 09:00 Berlin.
    expect(taskDueIn(berlin, new Date('2026-12-05T19:00:00Z'), 0).toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
  });

  it('keeps the wall-clock time over the DST change in New York', () => {
    const ny = workCalendar('America/New_York');
    // Friday 6 March 2026, 10:00 EST; clocks go forward on Sunday 8 March.
    expect(taskDueIn(ny, new Date('2026-03-06T15:00:00Z'), 1).toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('snoozes for an hour, to tomorrow’s start, or to next week’s first working day', () => {
    const wednesday = new Date('2026-12-02T10:00:00Z'); // 11:00 Berlin
    expect(snoozeUntil(berlin, wednesday, 'hour').toISOString()).toBe('2026-12-02T11:00:00.000Z');
    expect(snoozeUntil(berlin, wednesday, 'tomorrow').toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(snoozeUntil(berlin, wednesday, 'next_week').toISOString()).toBe('2026-12-07T08:00:00.000Z');
    // Friday 16:30 Berlin: an hour later is after hours, so Monday 09:00.
    expect(snoozeUntil(berlin, new Date('2026-12-04T15:30:00Z'), 'hour').toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
  });
});

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
];
const clock = (quarter: number) =>
  `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`;
const dayHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 4 })
  .map((marks) => marks.sort((a, b) => a - b))
  .map((marks) => {
    const intervals = [];
    for (let i = 0; i + 1 < marks.length; i += 2)
      intervals.push({ start: clock(marks[i]!), end: clock(marks[i + 1]!) });
    return intervals;
  });
const calendars: fc.Arbitrary<WorkCalendar> = fc
  .record({ timeZone: fc.constantFrom(...ZONES), days: fc.array(dayHours, { minLength: 7, maxLength: 7 }) })
  .map(({ timeZone, days }) => ({
    timeZone,
    hours: Object.fromEntries(WEEKDAYS.map((day, i) => [day, days[i]])) as WorkingHours,
  }))
  .filter((calendar) => workingHoursSchema.safeParse(calendar.hours).success);
const instants = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
  .map((ms) => new Date(ms - (ms % 60_000)));

describe('task due times, for any zone, hours and moment', () => {
  it('a task due n working days ahead is inside the assignee’s working time, never before now, later for a larger n', () => {
    fc.assert(
      fc.property(calendars, instants, fc.integer({ min: 0, max: 20 }), (calendar, now, days) => {
        const due = taskDueIn(calendar, now, days);
        expect(isWorkingTime(calendar, due)).toBe(true);
        expect(due.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(taskDueIn(calendar, now, days + 1).getTime()).toBeGreaterThan(due.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('a snooze ends inside working time, after now: an hour at least, tomorrow on a later local day', () => {
    fc.assert(
      fc.property(calendars, instants, fc.constantFrom(...SNOOZE_OPTIONS), (calendar, now, snooze) => {
        const until = snoozeUntil(calendar, now, snooze);
        expect(isWorkingTime(calendar, until)).toBe(true);
        if (snooze === 'hour') expect(until.getTime()).toBeGreaterThanOrEqual(now.getTime() + 3_600_000);
        else expect(until.getTime()).toBeGreaterThan(endOfLocalDay(calendar, now).getTime());
        if (snooze === 'next_week') {
          const local = DateTime.fromJSDate(until, { zone: calendar.timeZone });
          const nowWeek = DateTime.fromJSDate(now, { zone: calendar.timeZone }).startOf('week');
          expect(local.startOf('week') > nowWeek).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('outcomes and cadence vocabulary', () => {
  it('gives every task type an outcome; a call has none by default', () => {
    for (const type of TASK_TYPES) expect(TASK_OUTCOMES[type].length).toBeGreaterThan(0);
    expect(taskOutcome('call')).toBeUndefined();
    expect(taskOutcome('call', 'wrong_number')).toMatchObject({
      touchpoint: 'call_attempted',
      note: 'Wrong number',
    });
    expect(taskOutcome('meeting')?.touchpoint).toBe('meeting_booked');
    expect(taskOutcome('email', 'nope')).toBeUndefined();
    expect(taskTypeOfTouchpoint('linkedin_connect_sent')).toBe('linkedin_connect');
    expect(taskTypeOfTouchpoint('linkedin_message_replied')).toBe('linkedin_message');
    expect(taskTypeOfTouchpoint('note')).toBe('other');
  });

  it('stops on replies, meetings, unsubscribes and bounces only', () => {
    expect(stopCauseOf('email_replied')).toBe('reply');
    expect(stopCauseOf('meeting_held')).toBe('meeting');
    expect(stopCauseOf('linkedin_message_replied')).toBe('linkedin_reply');
    expect(stopCauseOf('bounced')).toBe('bounce');
    expect(stopCauseOf('call_connected')).toBeNull();
  });

  it('matches a rule on the stage reached, the owner and the scoring model’s field conditions', () => {
    const rule = cadenceInputSchema.parse({
      name: 'Nurture A',
      steps: [{ type: 'email', delayDays: 0 }],
      rule: { stage: 'mql', owner: 'unowned', conditions: [{ field: 'companySize', op: 'gte', value: 50 }] },
    }).rule!;
    expect(matchesEnrolmentRule(rule, { stage: 'mql', ownerId: null, companySize: 80 }, 'mql')).toBe(true);
    expect(matchesEnrolmentRule(rule, { stage: 'mql', ownerId: 'u1', companySize: 80 }, 'mql')).toBe(false);
    expect(matchesEnrolmentRule(rule, { stage: 'mql', ownerId: null, companySize: 10 }, 'mql')).toBe(false);
    expect(matchesEnrolmentRule(rule, { stage: 'sql', ownerId: null, companySize: 80 }, 'sql')).toBe(false);
  });

  it('refuses a task with both or neither due time', () => {
    expect(taskCreateSchema.safeParse({ leadId: 'l', type: 'call' }).success).toBe(false);
    expect(taskCreateSchema.safeParse({ leadId: 'l', type: 'call', dueInDays: 2 }).success).toBe(true);
  });
});
