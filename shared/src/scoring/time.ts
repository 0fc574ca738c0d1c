/** One day in milliseconds: half-lives are configured in days, computed in ms. */
export const MS_PER_DAY = 86_400_000;

/** A moment as the callers hold it: a `Date`, epoch milliseconds, or an ISO 8601 string from the wire. */
export type TimeInput = Date | number | string;

/**
 * Epoch milliseconds of a moment. Throws a `RangeError` on an invalid date rather than letting a NaN
 * flow into a score, where it would silently sort last or compare false everywhere.
 *
 * @example
 * toEpochMs('2026-01-01T00:00:00Z'); // 1767225600000
 * toEpochMs(new Date(0));            // 0
 */
export function toEpochMs(time: TimeInput): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'string' ? Date.parse(time) : time;
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid time: ${String(time)}`);
  return ms;
}

/**
 * A half-life in days as milliseconds; `null` (no decay) stays `null`.
 *
 * @example
 * halfLifeMs(30);   // 2592000000
 * halfLifeMs(null); // null
 */
export function halfLifeMs(halfLifeDays: number | null): number | null {
  return halfLifeDays === null ? null : halfLifeDays * MS_PER_DAY;
}
