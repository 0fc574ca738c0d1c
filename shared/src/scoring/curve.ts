import type { EngagementCurve } from './model';

/**
 * SCORING.md's `curve`: engagement points onto 0..100. `saturating` is
 * `100 * (1 - 2^(-e / halfAt))` (`halfAt` counts 50, twice that 75, and the order of very active
 * leads is kept); `cap` is `min(e, 100)`. Negative engagement counts 0 under both.
 *
 * @example
 * engagementCurveValue(50, { kind: 'saturating', halfAt: 50 });  // 50
 * engagementCurveValue(100, { kind: 'saturating', halfAt: 50 }); // 75
 * engagementCurveValue(250, { kind: 'cap' });                    // 100
 */
export function engagementCurveValue(engagement: number, curve: EngagementCurve): number {
  const points = Math.max(engagement, 0);
  if (curve.kind === 'cap') return Math.min(points, 100);
  return 100 * (1 - 2 ** (-points / curve.halfAt));
}
