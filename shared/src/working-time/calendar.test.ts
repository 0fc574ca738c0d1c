import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingMinutes,
  DEFAULT_WORKING_HOURS,
  isWorkingTime,
  nextWorkingTime,
  WEEKDAYS,
  type WorkCalendar,
  type WorkingHours,
  workCalendar,
  workingHoursSchema,
  workingMsBetween,
} from './calendar';

const berlin = workCalendar('Europe/Berlin');
const utc = (iso: string) => new Date(iso);

describe('working time, by example', () => {
  it('counts SLA minutes over a weekend: Friday 16:30 + 60 working minutes is Monday 09:30', () => {
    // 2026-11-27 is a Friday; Berlin is UTC+1 in November.
    const due = addWorkingMinutes(berlin, utc('2026-11-27T15:30:00Z'), 60);
    expect(due.toISOString()).toBe('2026-11-30T08:30:00.000Z');
    expect(workingMsBetween(berlin, utc('2026-11-27T15:30:00Z'), due)).toBe(60 * 60_000);
  });

  it('keeps the wall-clock time across a DST change: 10:00 Friday + 1 working day is 10:00 Monday', () => {
    // Berlin leaves summer time on 2026-10-25 (Sunday): the offset changes from +2 to +1.
    const due = addWorkingDays(berlin, utc('2026-10-23T08:00:00Z'), 1);
    expect(due.toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('moves a due time after hours to the last minute of the working day, and before hours to its start', () => {
    expect(addWorkingDays(berlin, utc('2026-12-01T20:00:00Z'), 0).toISOString()).toBe(
      '2026-12-01T15:59:00.000Z',
    );
    expect(addWorkingDays(berlin, utc('2026-12-01T05:00:00Z'), 2).toISOString()).toBe(
      '2026-12-03T08:00:00.000Z',
    );
  });

  it('treats a Saturday start as Monday, and counts working days from there', () => {
    expect(addWorkingDays(berlin, utc('2026-11-28T10:00:00Z'), 0).toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    expect(addWorkingDays(berlin, utc('2026-11-28T10:00:00Z'), 3).toISOString()).toBe(
      '2026-12-03T10:00:00.000Z',
    );
  });

  it('knows a shortened night: 01:00 to 05:00 on the spring-forward day in New York is three hours', () => {
    const night: WorkingHours = { ...DEFAULT_WORKING_HOURS, sun: [{ start: '01:00', end: '05:00' }] };
    const ny = workCalendar('America/New_York', night);
    // 2026-03-08: clocks go from 02:00 to 03:00.
    const from = utc('2026-03-08T05:00:00Z'); // 00:00 EST
    const to = utc('2026-03-08T12:00:00Z'); // 08:00 EDT
    expect(workingMsBetween(ny, from, to)).toBe(3 * 3_600_000);
    expect(isWorkingTime(ny, utc('2026-03-08T06:30:00Z'))).toBe(true); // 01:30 EST
  });

  it('finds the next working time', () => {
    expect(nextWorkingTime(berlin, utc('2026-11-28T10:00:00Z')).toISOString()).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(nextWorkingTime(berlin, utc('2026-11-30T09:15:00Z')).toISOString()).toBe(
      '2026-11-30T09:15:00.000Z',
    );
  });

  it('refuses hours that overlap, run backwards, or leave no working day', () => {
    const none = Object.fromEntries(WEEKDAYS.map((d) => [d, []]));
    expect(workingHoursSchema.safeParse(none).success).toBe(false);
    expect(
      workingHoursSchema.safeParse({ ...DEFAULT_WORKING_HOURS, mon: [{ start: '12:00', end: '09:00' }] })
        .success,
    ).toBe(false);
    expect(
      workingHoursSchema.safeParse({
        ...DEFAULT_WORKING_HOURS,
        mon: [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ],
      }).success,
    ).toBe(false);
    expect(workingHoursSchema.safeParse(DEFAULT_WORKING_HOURS).success).toBe(true);
  });
});

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/St_Johns',
];

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Up to two ordered, non-overlapping intervals per day, on 15-minute marks. */
const dayArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 4 })
  .map((marks) => marks.sort((a, b) => a - b))
  .map((marks) => {
    const intervals = [];
    for (let i = 0; i + 1 < marks.length; i += 2)
      intervals.push({ start: hhmm(marks[i]! * 15), end: hhmm(marks[i + 1]! * 15) });
    return intervals;
  });

const calendarArb: fc.Arbitrary<WorkCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    days: fc.tuple(dayArb, dayArb, dayArb, dayArb, dayArb, dayArb, dayArb),
  })
  .map(({ timeZone, days }) => ({
    timeZone,
    hours: Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]])) as WorkingHours,
  }))
  .filter((c) => workingHoursSchema.safeParse(c.hours).success);

/** Working minutes in a week of the calendar's hours, on their wall clock. */
function weeklyMinutes(calendar: WorkCalendar): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return WEEKDAYS.flatMap((day) => calendar.hours[day]).reduce(
    (sum, i) => sum + minutes(i.end) - minutes(i.start),
    0,
  );
}

// 2026 and 2027: every zone above changes its clocks at least once in between, some twice a year.
const instantArb = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
  .map((ms) => new Date(ms - (ms % 60_000)));

describe('working time, for any zone, hours and moment', () => {
  it('puts a due time n working days ahead inside working time', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 30 }), (calendar, from, days) => {
        const due = addWorkingDays(calendar, from, days);
        expect(isWorkingTime(calendar, due)).toBe(true);
        if (days > 0) expect(due.getTime()).toBeGreaterThan(from.getTime());
      }),
    );
  });

  it('throws, quickly, when two years hold fewer working minutes than asked', () => {
    const wednesdays = workCalendar('Europe/Berlin', {
      ...Object.fromEntries(WEEKDAYS.map((d) => [d, []])),
      wed: [{ start: '10:00', end: '10:15' }],
    } as WorkingHours);
    expect(() => addWorkingMinutes(wednesdays, utc('2026-12-01T00:00:00Z'), 5 * 24 * 60)).toThrow(RangeError);
  });

  it('adds working minutes so that exactly that much working time lies between', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        (calendar, from, wanted) => {
          // At most what 52 weeks of these hours hold: a calendar of 15 minutes a week has no five
          // working days within the two years the functions look ahead (they throw then).
          const minutes = Math.min(wanted, weeklyMinutes(calendar) * 52);
          const end = addWorkingMinutes(calendar, from, minutes);
          expect(end.getTime()).toBeGreaterThanOrEqual(from.getTime());
          expect(workingMsBetween(calendar, from, end)).toBe(minutes * 60_000);
        },
      ),
    );
  });

  it('finds a next working time that is working time, and nothing working before it', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (calendar, at) => {
        const next = nextWorkingTime(calendar, at);
        expect(isWorkingTime(calendar, next)).toBe(true);
        expect(workingMsBetween(calendar, at, next)).toBe(0);
      }),
    );
  });
});
