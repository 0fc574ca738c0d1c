import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOUCHPOINT_TYPES } from '../touchpoint-types';
import { engagementCurveValue } from './curve';
import { DEFAULT_SCORING_MODEL } from './default-model';
import { evaluateFit, type ScorableLead } from './fit';
import { gradeFromFit } from './grade';
import type { ScoringModel } from './model';
import { roundTo } from './round';
import { CONTRIBUTION_CUTOFF, computeScore, rawScore, type ScorableTouchpoint, scoreLead } from './score';
import { MS_PER_DAY } from './time';

const day = MS_PER_DAY;
const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** The first version's rule, which a stored model without `engagementCurve` keeps. */
const CAPPED: ScoringModel = { ...DEFAULT_SCORING_MODEL, engagementCurve: { kind: 'cap' } };

describe('computeScore', () => {
  it('weighs fit and capped engagement under `cap`, rounding .5 up', () => {
    expect(computeScore({ fit: 59, engagement: 100 }, CAPPED)).toBe(80); // 79.5
    expect(computeScore({ fit: 58.98, engagement: 100 }, CAPPED)).toBe(79); // 79.49
    expect(computeScore({ fit: 100, engagement: 250 }, CAPPED)).toBe(100);
    expect(computeScore({ fit: 0, engagement: 0 }, CAPPED)).toBe(0);
    expect(computeScore({ fit: 49, engagement: 0 }, CAPPED)).toBe(25); // 24.5
  });

  it('saturates engagement by default: halfAt counts 50, twice that 75, and the hottest keep their order', () => {
    expect(computeScore({ fit: 0, engagement: 50 }, DEFAULT_SCORING_MODEL)).toBe(25); // 0.5 * 50
    expect(computeScore({ fit: 0, engagement: 100 }, DEFAULT_SCORING_MODEL)).toBe(38); // 0.5 * 75 = 37.5
    expect(computeScore({ fit: 100, engagement: 0 }, DEFAULT_SCORING_MODEL)).toBe(50);
    expect(computeScore({ fit: 0, engagement: -30 }, DEFAULT_SCORING_MODEL)).toBe(0);
    // Under `cap` these two tie at 83; saturating keeps them apart.
    expect(computeScore({ fit: 65, engagement: 150 }, CAPPED)).toBe(
      computeScore({ fit: 65, engagement: 300 }, CAPPED),
    );
    expect(rawScore({ fit: 65, engagement: 300 }, DEFAULT_SCORING_MODEL)).toBeGreaterThan(
      rawScore({ fit: 65, engagement: 150 }, DEFAULT_SCORING_MODEL),
    );
    expect(computeScore({ fit: 65, engagement: 150 }, DEFAULT_SCORING_MODEL)).toBe(76); // 32.5 + 43.75
  });

  it('does not let float noise decide a .5', () => {
    expect(0.7 * 45).toBeLessThan(31.5); // the noise this guards against
    expect(
      computeScore(
        { fit: 0, engagement: 45 },
        { weights: { fit: 0.3, engagement: 0.7 }, engagementCurve: { kind: 'cap' } },
      ),
    ).toBe(32);
  });
});

describe('engagementCurveValue', () => {
  it('is 100 * (1 - 2^(-e / halfAt)) for saturating and min(e, 100) for cap, 0 below zero', () => {
    const curve = { kind: 'saturating', halfAt: 50 } as const;
    expect(engagementCurveValue(0, curve)).toBe(0);
    expect(engagementCurveValue(50, curve)).toBe(50);
    expect(engagementCurveValue(100, curve)).toBe(75);
    expect(engagementCurveValue(150, curve)).toBe(87.5);
    expect(engagementCurveValue(-5, curve)).toBe(0);
    expect(engagementCurveValue(20, { kind: 'saturating', halfAt: 20 })).toBe(50);
    expect(engagementCurveValue(42, { kind: 'cap' })).toBe(42);
    expect(engagementCurveValue(420, { kind: 'cap' })).toBe(100);
    expect(engagementCurveValue(-1, { kind: 'cap' })).toBe(0);
  });

  it('never decreases and stays within 0..100 (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        fc.double({ min: -1000, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (halfAt, e, more) => {
          const curve = { kind: 'saturating', halfAt } as const;
          const value = engagementCurveValue(e, curve);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
          expect(engagementCurveValue(e + more, curve)).toBeGreaterThanOrEqual(value);
        },
      ),
    );
  });
});

describe('roundTo', () => {
  it('rounds half away from zero, immune to the multiply', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.675, 2)).toBe(2.68);
    expect(roundTo(7.499, 0)).toBe(7);
    expect(roundTo(-1.005, 2)).toBe(-1.01);
    expect(roundTo(0.004, 2)).toBe(0);
  });
});

describe('scoreLead (hand-worked)', () => {
  const lead: ScorableLead = { title: 'VP Sales', email: 'ana@acme.io' };

  it('scores the SCORING.md way with a breakdown', () => {
    const result = scoreLead(
      lead,
      [
        { id: 'tp1', type: 'demo_requested', occurredAt: iso(t0) },
        { id: 'tp2', type: 'note', occurredAt: iso(t0 + day) },
        { id: 'tp3', type: 'page_visit', occurredAt: iso(t0 + 40 * day) }, // after `at`
      ],
      DEFAULT_SCORING_MODEL,
      iso(t0 + 30 * day),
    );
    expect(result).toEqual({
      score: 35, // round(0.5 * 45 + 0.5 * 100 * (1 - 2^(-20 / 50))) = round(22.5 + 12.1)
      fit: 45,
      engagement: 20,
      grade: 'C',
      breakdown: {
        fitRules: [
          { ruleId: 'senior-title', field: 'title', points: 30 },
          { ruleId: 'business-email', field: 'email', points: 15 },
        ],
        touchpoints: [
          {
            id: 'tp1',
            type: 'demo_requested',
            occurredAt: '2026-01-01T00:00:00.000Z',
            points: 40,
            pointsNow: 20,
          },
        ],
      },
    });
  });

  it('lists negative contributions, newest first, and drops ones that no longer show', () => {
    const result = scoreLead(
      {},
      [
        { type: 'meeting_held', occurredAt: t0 },
        { type: 'unsubscribed', occurredAt: t0 + 30 * day },
        { type: 'email_opened', occurredAt: t0 - 400 * day }, // 2^-14.3 < 0.005
      ],
      DEFAULT_SCORING_MODEL,
      t0 + 30 * day,
    );
    expect(result.breakdown.touchpoints.map((tp) => [tp.type, tp.pointsNow])).toEqual([
      ['unsubscribed', -20],
      ['meeting_held', 15],
    ]);
    expect(result.engagement).toBe(0);
    expect(result.score).toBe(0);
  });

  it('rounds engagement to two decimals and scores from the unrounded value', () => {
    const model: ScoringModel = { ...CAPPED, weights: { fit: 0, engagement: 1 } };
    const result = scoreLead({}, [{ type: 'email_clicked', occurredAt: t0 }], model, t0 + 10 * day);
    expect(result.engagement).toBe(3.17); // 4 * 2^(-1/3) = 3.1748
    expect(result.score).toBe(3);
    // Saturating: 100 * (1 - 2^(-3.1748 / 50)) = 4.31, where the rounded 3.17 would give 4.30.
    expect(
      scoreLead(
        {},
        [{ type: 'email_clicked', occurredAt: t0 }],
        { ...model, engagementCurve: { kind: 'saturating', halfAt: 50 } },
        t0 + 10 * day,
      ).score,
    ).toBe(4);
  });

  it('throws on a touchpoint type the model has no points for', () => {
    expect(() =>
      scoreLead({}, [{ type: 'webinar' as never, occurredAt: t0 }], DEFAULT_SCORING_MODEL, t0),
    ).toThrow(/webinar/);
  });
});

describe('scoreLead agrees with a straightforward recomputation (property)', () => {
  const leadArb: fc.Arbitrary<ScorableLead> = fc.record(
    {
      title: fc.option(fc.constantFrom('VP Sales', 'Head of IT', 'Engineer', 'Team Lead', 'MVP'), {
        nil: null,
      }),
      email: fc.option(fc.constantFrom('a@acme.io', 'a@gmail.com', 'broken'), { nil: null }),
      phone: fc.option(fc.constantFrom('+1 555 0100', ''), { nil: null }),
      companySize: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
      bant: fc.record({
        budget: fc.option(fc.boolean(), { nil: null }),
        authority: fc.option(fc.boolean(), { nil: null }),
        need: fc.option(fc.boolean(), { nil: null }),
        timelineMonths: fc.option(fc.integer({ min: 0, max: 24 }), { nil: null }),
      }),
    },
    { requiredKeys: [] },
  );
  const touchpointArb: fc.Arbitrary<ScorableTouchpoint> = fc.record({
    type: fc.constantFrom(...TOUCHPOINT_TYPES),
    occurredAt: fc.integer({ min: t0 - 200 * day, max: t0 + 200 * day }),
  });

  it('matches fit + decayed sum by hand', () => {
    fc.assert(
      fc.property(
        leadArb,
        fc.array(touchpointArb, { maxLength: 30 }),
        fc.option(fc.integer({ min: 1, max: 90 }), { nil: null }),
        fc.integer({ min: t0 - 100 * day, max: t0 + 300 * day }),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
        (lead, touchpoints, halfLifeDays, at, halfAt) => {
          const model: ScoringModel = {
            ...DEFAULT_SCORING_MODEL,
            halfLifeDays,
            engagementCurve: halfAt === null ? { kind: 'cap' } : { kind: 'saturating', halfAt },
          };
          const curve = (e: number) => (halfAt === null ? Math.min(e, 100) : 100 * (1 - 0.5 ** (e / halfAt)));
          const result = scoreLead(lead, touchpoints, model, at);

          const fit = evaluateFit(lead, model).fit;
          let engagement = 0;
          const contributing = [];
          for (const tp of touchpoints) {
            const ms = Number(tp.occurredAt);
            if (ms > at) continue;
            const points = model.touchpointPoints[tp.type];
            const now = halfLifeDays === null ? points : points * 0.5 ** ((at - ms) / (halfLifeDays * day));
            engagement += now;
            if (Math.abs(roundTo(now, 2)) >= CONTRIBUTION_CUTOFF) contributing.push(tp);
          }
          engagement = Math.max(0, engagement);
          const expectedScore = Math.round(0.5 * fit + 0.5 * curve(engagement));

          expect(result.fit).toBe(fit);
          expect(result.grade).toBe(gradeFromFit(fit));
          expect(Math.abs(result.engagement - engagement)).toBeLessThanOrEqual(0.005 + 1e-9);
          // Only a weighted sum within float noise of a .5 may round the other way.
          const weighted = 0.5 * fit + 0.5 * curve(engagement);
          if (Math.abs((weighted % 1) - 0.5) > 1e-6) expect(result.score).toBe(expectedScore);
          expect(result.breakdown.touchpoints).toHaveLength(contributing.length);
          expect(
            result.breakdown.fitRules.reduce((sum, rule) => sum + rule.points, 0),
          ).toBeGreaterThanOrEqual(fit);
        },
      ),
      { numRuns: 500 },
    );
  });
});
