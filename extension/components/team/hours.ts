import {
  DEFAULT_WORKING_HOURS,
  WEEKDAYS,
  type Weekday,
  type WorkingHours,
} from '@leadline/shared/working-time';

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** One weekday's intervals as typed on the Team page: "09:00-12:00, 13:00-17:00"; "" is a day off. */
export function dayText(hours: WorkingHours | null, day: Weekday): string {
  return (hours ?? DEFAULT_WORKING_HOURS)[day].map((i) => `${i.start}-${i.end}`).join(', ');
}

/**
 * Working hours from the text of each weekday. Malformed intervals are kept as typed (so the
 * API's 422, by weekday, says what is wrong) rather than guessed at.
 */
export function parseHours(texts: Record<Weekday, string>): WorkingHours {
  return Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      texts[day]
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const [start = '', end = ''] = part.split('-').map((s) => s.trim());
          return { start, end };
        }),
    ]),
  ) as WorkingHours;
}

/** "Mon-Fri 09:00-17:00" style summary: consecutive days with the same hours are folded. */
export function hoursSummary(hours: WorkingHours | null): string {
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = dayText(hours, day);
    if (!text) continue;
    const last = groups.at(-1);
    if (last && last.text === text && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(day) - 1) last.to = day;
    else groups.push({ from: day, to: day, text });
  }
  if (!groups.length) return 'no working hours';
  return groups
    .map((g) => `${WEEKDAY_LABELS[g.from]}${g.from === g.to ? '' : `-${WEEKDAY_LABELS[g.to]}`} ${g.text}`)
    .join('; ');
}
