import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decayedPoints, engagementAt, type WeightedTouchpoint } from './engagement';
import {
  addLog2,
  addToForwardSums,
  compareEngagementKeys,
  EMPTY_FORWARD_SUMS,
  engagementFromForward,
  engagementFromKey,
  engagementKey,
  FORWARD_LANDMARK_MS,
  forwardSums,
  forwardTerm,
  subLog2,
} from './forward-decay';
import { MS_PER_DAY } from './time';

const day = MS_PER_DAY;
const L = FORWARD_LANDMARK_MS;
/**
 * Absolute slack for values a thousand half-lives old: near 1e-308 doubles lose their precision
 * (subnormals), so "relative 1e-9" has no meaning there, and such engagement is 0 to any reader.
 */
const UNDERFLOW = 1e-300;

/** Size of the sum before positive and negative points cancel: what float error is relative to. */
function magnitude(
  touchpoints: readonly { points: number; occurredAt: number }[],
  at: number,
  halfLifeDays: number | null,
) {
  const h = halfLifeDays === null ? null : halfLifeDays * day;
  return touchpoints.reduce((sum, tp) => sum + Math.abs(decayedPoints(tp.points, tp.occurredAt, at, h)), 0);
}

describe('log-space arithmetic', () => {
  it('adds and subtracts powers of two', () => {
    expect(addLog2(3, 3)).toBe(4);
    expect(addLog2(5000, 4999)).toBeCloseTo(5000 + Math.log2(1.5), 12);
    expect(addLog2(Number.NEGATIVE_INFINITY, 7)).toBe(7);
    expect(addLog2(7, Number.NEGATIVE_INFINITY)).toBe(7);
    expect(addLog2(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(addLog2(0, -2000)).toBe(0); // 1 + 2^-2000 is 1 in doubles
    expect(subLog2(4, 3)).toBe(3);
    expect(subLog2(3, 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(subLog2(3, 4)).toBe(Number.NEGATIVE_INFINITY);
    expect(subLog2(3, Number.NEGATIVE_INFINITY)).toBe(3);
  });

  it('builds terms with their sign apart', () => {
    expect(forwardTerm(30, L + 10 * day, L, day)).toEqual({ sign: 1, log2: Math.log2(30) + 10 });
    expect(forwardTerm(-20, L - 2 * day, L, day)).toEqual({ sign: -1, log2: Math.log2(20) - 2 });
    expect(forwardTerm(0, L, L, day)).toEqual({ sign: 0, log2: Number.NEGATIVE_INFINITY });
    expect(forwardTerm(8, L + 99 * day, L, null)).toEqual({ sign: 1, log2: 3 });
  });

  it('folds terms into nullable sums', () => {
    const pos = addToForwardSums(EMPTY_FORWARD_SUMS, 8, L + 2 * day, L, day);
    expect(pos).toEqual({ logPos: 5, logNeg: null });
    const both = addToForwardSums(pos, -4, L + 2 * day, L, day);
    expect(both).toEqual({ logPos: 5, logNeg: 4 });
    expect(addToForwardSums(both, 0, L, L, day)).toBe(both);
    expect(engagementKey(both)).toBe(4);
    expect(engagementKey({ logPos: 4, logNeg: 5 })).toBeNull();
    expect(engagementKey(EMPTY_FORWARD_SUMS)).toBeNull();
  });
});

describe('engagement from forward sums (hand-worked)', () => {
  it('gives 30 -> 15 -> 7.5 at one and two half-lives, 1,500 half-lives past the landmark', () => {
    const sums = forwardSums([{ points: 30, occurredAt: L + 1500 * day }], L, day);
    // A naive forward sum would be 30 * 2^1500: Infinity.
    expect(30 * 2 ** 1500).toBe(Number.POSITIVE_INFINITY);
    expect(engagementFromForward(sums, L + 1500 * day, L, day)).toBeCloseTo(30, 10);
    expect(engagementFromForward(sums, L + 1501 * day, L, day)).toBeCloseTo(15, 10);
    expect(engagementFromForward(sums, L + 1502 * day, L, day)).toBeCloseTo(7.5, 10);
  });

  it('keeps negative points apart and clamps at 0', () => {
    const sums = forwardSums(
      [
        { points: 25, occurredAt: L + 10 * day },
        { points: -20, occurredAt: L + 10 * day },
      ],
      L,
      30 * day,
    );
    expect(engagementFromForward(sums, L + 40 * day, L, 30 * day)).toBeCloseTo(2.5, 12);
    const underwater = forwardSums([{ points: -20, occurredAt: L }], L, day);
    expect(engagementFromForward(underwater, L + day, L, day)).toBe(0);
    expect(engagementFromKey(engagementKey(underwater), L + day, L, day)).toBe(0);
  });

  it('holds plain sums with halfLife null', () => {
    const sums = forwardSums(
      [
        { points: 30, occurredAt: L - 900 * day },
        { points: -10, occurredAt: L + 900 * day },
      ],
      L,
      null,
    );
    expect(engagementFromForward(sums, L + 5000 * day, L, null)).toBeCloseTo(20, 12);
  });

  it('sorts keys hottest first with no engagement last', () => {
    expect([null, 2, 7, null, -3].sort(compareEngagementKeys)).toEqual([7, 2, -3, null, null]);
  });
});

const pointsArb = fc.oneof(
  fc.integer({ min: -30, max: 40 }),
  fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true }),
);

/** Touchpoints in a window `[from, from + span]` and a read time at or after the last of them. */
function scenario(from: number, spanMs: number, maxLength = 30) {
  return fc
    .record({
      touchpoints: fc.array(
        fc.record({ points: pointsArb, occurredAt: fc.integer({ min: from, max: from + spanMs }) }),
        { maxLength },
      ),
      after: fc.integer({ min: 0, max: spanMs }),
    })
    .map(({ touchpoints, after }) => ({
      touchpoints,
      at: Math.max(from, ...touchpoints.map((tp) => tp.occurredAt)) + after,
    }));
}

const halfLifeArb = fc.oneof(
  fc.constant(1),
  fc.constant(30),
  fc.constant(null),
  fc.double({ min: 1 / 24, max: 365, noNaN: true }),
);

function checkAgreement(
  touchpoints: WeightedTouchpoint[] & { points: number; occurredAt: number }[],
  at: number,
  halfLifeDays: number | null,
) {
  const h = halfLifeDays === null ? null : halfLifeDays * day;
  const sums = forwardSums(touchpoints, L, h);
  const forward = engagementFromForward(sums, at, L, h);
  const viaKey = engagementFromKey(engagementKey(sums), at, L, h);
  const direct = engagementAt(touchpoints, at, halfLifeDays);
  const scale = magnitude(touchpoints, at, halfLifeDays);
  expect(Number.isFinite(forward)).toBe(true);
  expect(Math.abs(forward - direct)).toBeLessThanOrEqual(1e-9 * scale + UNDERFLOW);
  expect(viaKey).toBe(forward);
  if (touchpoints.every((tp) => tp.points >= 0)) {
    // No cancellation: plain relative agreement.
    expect(Math.abs(forward - direct)).toBeLessThanOrEqual(1e-9 * direct + UNDERFLOW);
  }
}

describe('forward form equals the direct sum (property)', () => {
  it('near the landmark, any half-life, negative points included', () => {
    fc.assert(
      fc.property(scenario(L - 400 * day, 800 * day), halfLifeArb, ({ touchpoints, at }, halfLife) => {
        checkAgreement(touchpoints, at, halfLife);
      }),
      { numRuns: 500 },
    );
  });

  it('1,500 half-lives past the landmark at a one-day half-life', () => {
    fc.assert(
      fc.property(scenario(L + 1480 * day, 20 * day), ({ touchpoints, at }) => {
        checkAgreement(touchpoints, at, 1);
      }),
      { numRuns: 500 },
    );
  });

  it('thousands of half-lives before the landmark too', () => {
    fc.assert(
      fc.property(scenario(L - 3000 * day, 20 * day), ({ touchpoints, at }) => {
        checkAgreement(touchpoints, at, 1);
      }),
      { numRuns: 200 },
    );
  });

  it('folding one by one in any order equals a rebuild', () => {
    fc.assert(
      fc.property(scenario(L, 90 * day), ({ touchpoints }) => {
        const h = 7 * day;
        const rebuilt = engagementKey(forwardSums(touchpoints, L, h));
        const reversed = engagementKey(forwardSums([...touchpoints].reverse(), L, h));
        if (rebuilt === null || reversed === null) expect(rebuilt).toBe(reversed);
        else expect(Math.abs(rebuilt - reversed)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(rebuilt)));
      }),
    );
  });
});

describe('ordering by the stored key is ordering by engagement (property)', () => {
  it('at random read times after every lead last touchpoint', () => {
    const from = L + 1400 * day;
    const span = 100 * day;
    const lead = fc.array(
      fc.record({ points: pointsArb, occurredAt: fc.integer({ min: from, max: from + span }) }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        fc.array(lead, { minLength: 2, maxLength: 25 }),
        fc.array(fc.integer({ min: 0, max: 60 * day }), { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.constant(1), fc.constant(30), fc.constant(null)),
        (leads, offsets, halfLifeDays) => {
          const h = halfLifeDays === null ? null : halfLifeDays * day;
          const ranked = leads
            .map((touchpoints) => ({ touchpoints, key: engagementKey(forwardSums(touchpoints, L, h)) }))
            .sort((a, b) => compareEngagementKeys(a.key, b.key));
          for (const offset of offsets) {
            const at = from + span + offset;
            const direct = ranked.map(({ touchpoints }) => engagementAt(touchpoints, at, halfLifeDays));
            const scales = ranked.map(({ touchpoints }) => magnitude(touchpoints, at, halfLifeDays));
            for (let i = 1; i < direct.length; i++) {
              const tolerance = 1e-9 * Math.max(scales[i - 1] ?? 0, scales[i] ?? 0) + UNDERFLOW;
              expect(direct[i - 1]! + tolerance).toBeGreaterThanOrEqual(direct[i]!);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
