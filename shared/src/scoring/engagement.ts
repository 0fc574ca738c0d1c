import { halfLifeMs, type TimeInput, toEpochMs } from './time';

/** A touchpoint as engagement sees it: its points (from the model's table) and when it happened. */
export interface WeightedTouchpoint {
  points: number;
  occurredAt: TimeInput;
}

/**
 * What one touchpoint adds at `atMs`: `points * 2^(-(at - occurredAt) / halfLife)`, or 0 when it
 * has not happened yet (a touchpoint never counts before its `occurredAt`).
 *
 * @example
 * decayedPoints(30, 0, 30 * MS_PER_DAY, 30 * MS_PER_DAY); // 15
 * decayedPoints(30, 1000, 0, 30 * MS_PER_DAY);            // 0 (in the future)
 * decayedPoints(30, 0, 1e12, null);                       // 30 (no decay)
 */
export function decayedPoints(
  points: number,
  occurredAtMs: number,
  atMs: number,
  halfLifeMsOrNull: number | null,
): number {
  if (occurredAtMs > atMs) return 0;
  if (halfLifeMsOrNull === null) return points;
  return points * 2 ** (-(atMs - occurredAtMs) / halfLifeMsOrNull);
}

/**
 * Engagement at `at`, exactly SCORING.md's formula: the sum over touchpoints with
 * `occurredAt <= at` of `points * 2^(-(at - occurredAt) / halfLife)`, clamped at 0. With
 * `halfLifeDays = null` nothing decays. Order does not matter, so a call logged late with an
 * earlier `occurredAt` counts from when it happened. Summed with Neumaier compensation, because
 * negative points cancel positive ones and this is the reference the fast forms are tested against.
 *
 * @example
 * const day = 86_400_000;
 * engagementAt([{ points: 30, occurredAt: 0 }], 30 * day, 30); // 15
 * engagementAt([{ points: 30, occurredAt: 0 }], 60 * day, 30); // 7.5
 * engagementAt([{ points: -20, occurredAt: 0 }], day, 30);     // 0 (clamped)
 */
export function engagementAt(
  touchpoints: Iterable<WeightedTouchpoint>,
  at: TimeInput,
  halfLifeDays: number | null,
): number {
  const atMs = toEpochMs(at);
  const halfLife = halfLifeMs(halfLifeDays);
  let sum = 0;
  let compensation = 0;
  for (const touchpoint of touchpoints) {
    const term = decayedPoints(touchpoint.points, toEpochMs(touchpoint.occurredAt), atMs, halfLife);
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return Math.max(0, sum + compensation);
}

/**
 * The highest engagement the lead ever had, up to `at`. Between touchpoints engagement only decays
 * toward 0 (and is clamped at 0 when negative), so the maximum is reached at a touchpoint's
 * `occurredAt` (touchpoints at that instant included): walking them in time order with one running
 * decayed sum gives it exactly in O(n log n). Touchpoints after `at` are ignored.
 *
 * @example
 * const day = 86_400_000;
 * peakEngagement([{ points: 10, occurredAt: 0 }, { points: 30, occurredAt: 30 * day }], 30, 90 * day);
 * // 35: 5 left of the first plus 30 at day 30 (engagement at day 90 is 8.75)
 */
export function peakEngagement(
  touchpoints: Iterable<WeightedTouchpoint>,
  halfLifeDays: number | null,
  at: TimeInput,
): number {
  const atMs = toEpochMs(at);
  const halfLife = halfLifeMs(halfLifeDays);
  const timeline = Array.from(touchpoints, (touchpoint) => ({
    points: touchpoint.points,
    ms: toEpochMs(touchpoint.occurredAt),
  }))
    .filter((touchpoint) => touchpoint.ms <= atMs)
    .sort((a, b) => a.ms - b.ms);

  let peak = 0;
  let running = 0;
  let lastMs = Number.NEGATIVE_INFINITY;
  timeline.forEach((touchpoint, index) => {
    if (touchpoint.ms !== lastMs && halfLife !== null && running !== 0) {
      running *= 2 ** (-(touchpoint.ms - lastMs) / halfLife);
    }
    running += touchpoint.points;
    lastMs = touchpoint.ms;
    // Touchpoints sharing an instant all count before that instant's value is read.
    if (timeline[index + 1]?.ms !== touchpoint.ms) peak = Math.max(peak, running);
  });
  return peak;
}
