import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagementAt, peakEngagement } from './engagement';
import { MS_PER_DAY } from './time';

const day = MS_PER_DAY;
const t0 = Date.UTC(2026, 0, 1);

describe('engagementAt (hand-worked, 30-day half-life)', () => {
  it('halves every half-life', () => {
    const demo = [{ points: 30, occurredAt: t0 }];
    expect(engagementAt(demo, t0, 30)).toBe(30);
    expect(engagementAt(demo, t0 + 30 * day, 30)).toBe(15);
    expect(engagementAt(demo, t0 + 60 * day, 30)).toBe(7.5);
    expect(engagementAt(demo, t0 + 15 * day, 30)).toBeCloseTo(30 / Math.SQRT2, 12);
  });

  it('accepts Date, epoch ms and ISO strings', () => {
    const at = new Date(t0 + 30 * day);
    expect(engagementAt([{ points: 30, occurredAt: new Date(t0) }], at, 30)).toBe(15);
    expect(engagementAt([{ points: 30, occurredAt: '2026-01-01T00:00:00Z' }], at.toISOString(), 30)).toBe(15);
    expect(() => engagementAt([{ points: 30, occurredAt: 'yesterday' }], at, 30)).toThrow(RangeError);
  });

  it('counts a touchpoint logged late from its own occurredAt, whatever the list order', () => {
    const loggedInOrder = [
      { points: 10, occurredAt: t0 + 30 * day },
      { points: 20, occurredAt: t0 }, // a call logged a month late
    ];
    // 20 / 4 (two half-lives) + 10 / 2 (one half-life) = 10
    expect(engagementAt(loggedInOrder, t0 + 60 * day, 30)).toBe(10);
    expect(engagementAt([...loggedInOrder].reverse(), t0 + 60 * day, 30)).toBe(10);
  });

  it('does not count a touchpoint before it happens', () => {
    const touchpoints = [
      { points: 30, occurredAt: t0 },
      { points: 40, occurredAt: t0 + 10 * day },
    ];
    expect(engagementAt(touchpoints, t0 + 10 * day - 1, 30)).toBeCloseTo(
      30 * 2 ** (-(10 * day - 1) / (30 * day)),
      12,
    );
    expect(engagementAt(touchpoints, t0 + 10 * day, 30)).toBeCloseTo(40 + 30 * 2 ** (-1 / 3), 12);
    expect(engagementAt(touchpoints, t0 - 1, 30)).toBe(0);
  });

  it('clamps negative totals to 0, and negative points pull a total down while they last', () => {
    expect(engagementAt([{ points: -20, occurredAt: t0 }], t0 + day, 30)).toBe(0);
    const mixed = [
      { points: 25, occurredAt: t0 },
      { points: -20, occurredAt: t0 },
    ];
    expect(engagementAt(mixed, t0 + 30 * day, 30)).toBe(2.5);
    // The unsubscribe came a half-life after the meeting: 25/2 - 20 < 0.
    const later = [
      { points: 25, occurredAt: t0 },
      { points: -20, occurredAt: t0 + 30 * day },
    ];
    expect(engagementAt(later, t0 + 30 * day, 30)).toBe(0);
  });

  it('does not decay with halfLifeDays null', () => {
    const touchpoints = [
      { points: 30, occurredAt: t0 },
      { points: -10, occurredAt: t0 + 400 * day },
    ];
    expect(engagementAt(touchpoints, t0 + 10_000 * day, null)).toBe(20);
    expect(engagementAt(touchpoints, t0 + 399 * day, null)).toBe(30);
  });

  it('is 0 with no touchpoints', () => {
    expect(engagementAt([], t0, 30)).toBe(0);
  });
});

describe('peakEngagement', () => {
  it('is the highest value, reached at a touchpoint', () => {
    const touchpoints = [
      { points: 30, occurredAt: t0 },
      { points: 10, occurredAt: t0 + 30 * day },
      { points: 1, occurredAt: t0 + 120 * day },
    ];
    expect(peakEngagement(touchpoints, 30, t0 + 365 * day)).toBe(30); // 30 at t0 beats 15 + 10
    expect(peakEngagement([{ points: 10, occurredAt: t0 }, ...touchpoints], 30, t0 + 365 * day)).toBe(40);
  });

  it('counts simultaneous touchpoints together and ignores those after `at`', () => {
    const touchpoints = [
      { points: 20, occurredAt: t0 },
      { points: -10, occurredAt: t0 },
      { points: 99, occurredAt: t0 + day },
    ];
    expect(peakEngagement(touchpoints, 30, t0 + day - 1)).toBe(10);
    expect(peakEngagement(touchpoints, null, t0 + day)).toBe(109);
    expect(peakEngagement([], 30, t0)).toBe(0);
    expect(peakEngagement([{ points: -5, occurredAt: t0 }], 30, t0)).toBe(0);
  });

  it('equals the brute-force maximum of engagementAt over touchpoint times', () => {
    const touchpoint = fc.record({
      points: fc.integer({ min: -30, max: 40 }),
      occurredAt: fc.integer({ min: t0, max: t0 + 200 * day }),
    });
    fc.assert(
      fc.property(
        fc.array(touchpoint, { maxLength: 25 }),
        fc.option(fc.double({ min: 1 / 24, max: 90, noNaN: true }), { nil: null }),
        fc.integer({ min: t0, max: t0 + 250 * day }),
        (touchpoints, halfLife, at) => {
          const candidates = touchpoints.filter((tp) => tp.occurredAt <= at).map((tp) => tp.occurredAt);
          const brute = Math.max(0, ...candidates.map((time) => engagementAt(touchpoints, time, halfLife)));
          const peak = peakEngagement(touchpoints, halfLife, at);
          expect(Math.abs(peak - brute)).toBeLessThanOrEqual(1e-9 * Math.max(1, brute));
        },
      ),
      { numRuns: 300 },
    );
  });
});
