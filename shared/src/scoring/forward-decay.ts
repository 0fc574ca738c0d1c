/**
 * Forward decay in log space: exact decayed engagement from two numbers stored per lead, and one
 * time-invariant key whose order is the order of engagement at every moment, so "hottest leads now"
 * is an index walk (Cormode, Shkapenyuk, Srivastava, Xu, ICDE 2009; see SCORING.md).
 *
 * ## The algebra
 *
 * With a fixed landmark `L` and half-life `h`, every touchpoint's weight factors as
 * `2^(-(t - t_i) / h) = 2^((t_i - L) / h) * 2^(-(t - L) / h)`. So with the forward sums
 * `Pos = sum_{p_i > 0} p_i * 2^((t_i - L) / h)` and `Neg = sum_{p_i < 0} |p_i| * 2^((t_i - L) / h)`:
 *
 *     engagement(t) = max(0, (Pos - Neg) * 2^(-(t - L) / h))
 *                   = max(0, Pos - Neg) * 2^(-(t - L) / h)        (the factor is positive)
 *
 * for every `t` at or after the latest `occurredAt` folded into the sums. `Pos` and `Neg` decay by
 * the same factor, so the net `Pos - Neg` is time-invariant: ordering leads by
 * `logNet = log2(max(0, Pos - Neg))` (the {@link engagementKey}) orders them by engagement exactly,
 * negative points included, at every such `t`, and `engagement(t) = 2^(logNet - (t - L) / h)`.
 * `2^((t_i - L) / h)` overflows a double after ~1024 half-lives, so the sums are kept as base-2
 * logarithms and combined with a stable log-sum-exp ({@link addLog2}); positive and negative points
 * are kept apart because a logarithm has no sign. With `halfLife = null` every factor is 1 and the
 * same functions hold plain sums in log space.
 *
 * ## What the server must do
 *
 * - Store per lead `logPos`, `logNeg` (REAL, `null` when empty: JSON has no -Infinity, and libSQL
 *   over HTTP speaks JSON) and `engagementKey` (REAL, `null` when engagement is 0), indexed on
 *   `engagementKey`. `ORDER BY engagement_key DESC` (SQLite puts NULLs last) is engagement order.
 * - Insert of a touchpoint with `occurredAt <= now`: `sums = addToForwardSums(sums, ...)`, then
 *   `key = engagementKey(sums)`. A late touchpoint with an earlier `occurredAt` is just another term:
 *   the sum does not care about arrival order.
 * - A touchpoint with `occurredAt > now` must NOT be folded in yet (before it happens it counts 0,
 *   but once folded it would count at every `t`). Keep it out of the sums, remember the lead's
 *   earliest pending `occurredAt`, and fold pending touchpoints whose time has come before ranking
 *   (one `UPDATE ... WHERE pending_at <= now` ahead of the ranked query, or at the next write).
 *   Until then, score that lead with `engagementAt` over its touchpoints. Refusing `occurredAt`
 *   in the future (beyond clock skew) is the simpler alternative.
 * - Reads for a past `?at=` earlier than the latest `occurredAt` folded into a lead's sums cannot use
 *   the sums (they already contain touchpoints that had not happened at `at`): compute those with
 *   `engagementAt` over the touchpoints with `occurredAt <= at`.
 * - Deleting a touchpoint, changing a type's points, or changing `halfLifeDays` rebuilds the sums
 *   with {@link forwardSums} (a changed landmark too; nothing forces `L` to move, since log space
 *   never overflows at any realistic `t - L`).
 *
 * Precision: with `Pos` and `Neg` close, `Pos - Neg` is known only to about `1e-16 * Pos`, in the
 * direct sum just as here; relative to the undamped magnitude the forms agree to ~1e-12 even at
 * `t - L` of thousands of half-lives.
 */

import type { WeightedTouchpoint } from './engagement';
import { toEpochMs } from './time';

/** A landmark for new installs (2025-01-01T00:00:00Z). Any fixed moment works; it must never change silently. */
export const FORWARD_LANDMARK_MS = Date.UTC(2025, 0, 1);

/** One touchpoint's term of a forward sum: its sign, and `log2(|points| * 2^((t_i - L) / h))`. */
export interface ForwardTerm {
  sign: -1 | 0 | 1;
  /** -Infinity for a zero-point touchpoint, which adds nothing. */
  log2: number;
}

/**
 * The forward sums of one lead in log space; `null` is an empty sum (log2 0 = -Infinity), the form
 * that can be stored and sent as JSON.
 */
export interface ForwardSums {
  logPos: number | null;
  logNeg: number | null;
}

/** Forward sums of a lead with no touchpoints. */
export const EMPTY_FORWARD_SUMS: ForwardSums = Object.freeze({ logPos: null, logNeg: null });

/**
 * A touchpoint's forward term: `log2(|points|) + (occurredAt - L) / h`, with its sign apart.
 * `halfLifeMs = null` (no decay) drops the time part.
 *
 * @example
 * const day = 86_400_000;
 * forwardTerm(30, 10 * day, 0, day);  // { sign: 1, log2: Math.log2(30) + 10 }
 * forwardTerm(-20, 0, 0, null);       // { sign: -1, log2: Math.log2(20) }
 */
export function forwardTerm(
  points: number,
  occurredAtMs: number,
  landmarkMs: number,
  halfLifeMs: number | null,
): ForwardTerm {
  if (points === 0) return { sign: 0, log2: Number.NEGATIVE_INFINITY };
  const growth = halfLifeMs === null ? 0 : (occurredAtMs - landmarkMs) / halfLifeMs;
  return { sign: points > 0 ? 1 : -1, log2: Math.log2(Math.abs(points)) + growth };
}

/**
 * `log2(2^a + 2^b)` without overflow: the larger exponent factored out, the rest through `log1p`
 * so a tiny addend is not lost. -Infinity (an empty sum) is the neutral element.
 *
 * @example
 * addLog2(3, 3);                          // 4 (8 + 8 = 16)
 * addLog2(5000, 4999);                    // 5000 + Math.log2(1.5), where 2^5000 overflows
 * addLog2(Number.NEGATIVE_INFINITY, 7);   // 7
 */
export function addLog2(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const high = Math.max(a, b);
  return high + Math.log1p(2 ** (Math.min(a, b) - high)) / Math.LN2;
}

/**
 * `log2(max(0, 2^a - 2^b))`: -Infinity when `b >= a`. Computed as `a + log2(1 - 2^(b - a))` with
 * `expm1`, so close values lose no more than the subtraction itself must.
 *
 * @example
 * subLog2(4, 3);    // 3 (16 - 8 = 8)
 * subLog2(3, 4);    // -Infinity
 */
export function subLog2(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (b >= a) return Number.NEGATIVE_INFINITY;
  return a + Math.log2(-Math.expm1((b - a) * Math.LN2));
}

const fromStored = (value: number | null): number => value ?? Number.NEGATIVE_INFINITY;
const toStored = (value: number): number | null => (value === Number.NEGATIVE_INFINITY ? null : value);

/**
 * The sums with one more touchpoint folded in. Only for touchpoints with `occurredAt <= now`; see
 * the module comment for future ones.
 *
 * @example
 * const day = 86_400_000;
 * addToForwardSums(EMPTY_FORWARD_SUMS, 8, 2 * day, 0, day); // { logPos: 5, logNeg: null }
 */
export function addToForwardSums(
  sums: ForwardSums,
  points: number,
  occurredAtMs: number,
  landmarkMs: number,
  halfLifeMs: number | null,
): ForwardSums {
  const term = forwardTerm(points, occurredAtMs, landmarkMs, halfLifeMs);
  if (term.sign === 0) return sums;
  return term.sign > 0
    ? { logPos: toStored(addLog2(fromStored(sums.logPos), term.log2)), logNeg: sums.logNeg }
    : { logPos: sums.logPos, logNeg: toStored(addLog2(fromStored(sums.logNeg), term.log2)) };
}

/**
 * Forward sums of a whole touchpoint list (a rebuild). Include only touchpoints with
 * `occurredAt <= now`.
 *
 * @example
 * forwardSums([{ points: 4, occurredAt: 0 }, { points: -2, occurredAt: 0 }], 0, 86_400_000);
 * // { logPos: 2, logNeg: 1 }
 */
export function forwardSums(
  touchpoints: Iterable<WeightedTouchpoint>,
  landmarkMs: number,
  halfLifeMs: number | null,
): ForwardSums {
  let sums = EMPTY_FORWARD_SUMS;
  for (const touchpoint of touchpoints) {
    sums = addToForwardSums(
      sums,
      touchpoint.points,
      toEpochMs(touchpoint.occurredAt),
      landmarkMs,
      halfLifeMs,
    );
  }
  return sums;
}

/**
 * The time-invariant ranking key `log2(max(0, Pos - Neg))`, or `null` when the negative points
 * outweigh the positive ones (engagement 0 at every later time). Sorting by it descending (nulls
 * last) is sorting by engagement at every `t` after the lead's latest folded touchpoint, exactly,
 * negative points included, because both sums decay by the same factor.
 *
 * @example
 * engagementKey({ logPos: 5, logNeg: 4 }); // 4 (32 - 16 = 16)
 * engagementKey({ logPos: 3, logNeg: 4 }); // null
 */
export function engagementKey(sums: ForwardSums): number | null {
  return toStored(subLog2(fromStored(sums.logPos), fromStored(sums.logNeg)));
}

/**
 * Engagement at `atMs` from a stored key: `2^(key - (at - L) / h)`, 0 for a `null` key. Valid for
 * `at` at or after the latest `occurredAt` folded into the key.
 *
 * @example
 * const day = 86_400_000;
 * engagementFromKey(5, 3 * day, 0, day); // 4 (2^(5 - 3))
 * engagementFromKey(null, 0, 0, day);    // 0
 */
export function engagementFromKey(
  key: number | null,
  atMs: number,
  landmarkMs: number,
  halfLifeMs: number | null,
): number {
  if (key === null || key === Number.NEGATIVE_INFINITY) return 0;
  const decay = halfLifeMs === null ? 0 : (atMs - landmarkMs) / halfLifeMs;
  return 2 ** (key - decay);
}

/**
 * Engagement at `atMs` from forward sums: `max(0, 2^(logPos - d) - 2^(logNeg - d))` with
 * `d = (at - L) / h`, computed on the exponents so that `t - L` of thousands of half-lives neither
 * overflows nor underflows. Equal to `engagementAt` over the folded touchpoints whenever they all
 * have `occurredAt <= at`.
 *
 * @example
 * const day = 86_400_000;
 * engagementFromForward({ logPos: 1500 + Math.log2(30), logNeg: null }, 1501 * day, 0, day); // 15
 */
export function engagementFromForward(
  sums: ForwardSums,
  atMs: number,
  landmarkMs: number,
  halfLifeMs: number | null,
): number {
  return engagementFromKey(engagementKey(sums), atMs, landmarkMs, halfLifeMs);
}

/**
 * Comparator for sorting by engagement key, hottest first, `null` (no engagement) last: what
 * `ORDER BY engagement_key DESC` does in SQLite.
 *
 * @example
 * [null, 2, 7].sort(compareEngagementKeys); // [7, 2, null]
 */
export function compareEngagementKeys(a: number | null, b: number | null): number {
  return fromStored(b) - fromStored(a) || 0;
}
