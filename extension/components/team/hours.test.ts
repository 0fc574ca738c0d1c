import { DEFAULT_WORKING_HOURS, workingHoursSchema } from '@leadline/shared/working-time';
import { describe, expect, it } from 'vitest';
import { dayText, hoursSummary, parseHours } from './hours';

describe('working hours as typed on the Team page', () => {
  it('round-trips the default and folds consecutive equal days', () => {
    const texts = {
      mon: dayText(null, 'mon'),
      tue: dayText(null, 'tue'),
      wed: dayText(null, 'wed'),
      thu: dayText(null, 'thu'),
      fri: dayText(null, 'fri'),
      sat: dayText(null, 'sat'),
      sun: dayText(null, 'sun'),
    };
    expect(parseHours(texts)).toEqual(DEFAULT_WORKING_HOURS);
    expect(hoursSummary(null)).toBe('Mon-Fri 09:00-17:00');
  });

  it('reads split days and days off, and keeps a bad interval for the API to name', () => {
    const hours = parseHours({
      mon: '08:00-12:00, 13:00-17:00',
      tue: '',
      wed: '08:00-12:00,13:00-17:00',
      thu: 'noon',
      fri: '',
      sat: '',
      sun: '',
    });
    expect(hours.mon).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(hours.tue).toEqual([]);
    expect(hours.thu).toEqual([{ start: 'noon', end: '' }]);
    const checked = workingHoursSchema.safeParse(hours);
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0]?.path.slice(0, 2)).toEqual(['thu', 0]);
    expect(hoursSummary({ ...hours, thu: [] })).toBe(
      'Mon 08:00-12:00, 13:00-17:00; Wed 08:00-12:00, 13:00-17:00',
    );
  });
});
