import { MS_PER_DAY as DAY } from '../scoring/time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A duration as a rep says it, rounded down: "just now", "12 minutes", "3 hours", "5 days".
 *
 * @example
 * formatDuration(90 * 60_000);       // '1 hour'
 * formatDuration(3 * 86_400_000);    // '3 days'
 */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return 'just now';
  const [count, unit] =
    ms < HOUR ? [ms / MINUTE, 'minute'] : ms < 2 * DAY ? [ms / HOUR, 'hour'] : [ms / DAY, 'day'];
  const whole = Math.floor(count);
  return `${whole} ${unit}${whole === 1 ? '' : 's'}`;
}

/**
 * `formatDuration` as a time in the past: "12 minutes ago", or "just now".
 *
 * @example
 * formatAgo(2 * 3_600_000); // '2 hours ago'
 * formatAgo(0);             // 'just now'
 */
export function formatAgo(ms: number): string {
  const duration = formatDuration(ms);
  return duration === 'just now' ? duration : `${duration} ago`;
}

/**
 * Items joined as prose: "a", "a and b", "a, b and c".
 *
 * @example
 * joinWords(['budget', 'need', 'timeline']); // 'budget, need and timeline'
 */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
