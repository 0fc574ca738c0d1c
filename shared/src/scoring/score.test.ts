import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOUCHPOINT_TYPES } from '../touchpoint-types';
import { DEFAULT_SCORING_MODEL } from './default-model';
import { evaluateFit, type ScorableLead } from './fit';
import { gradeFromFit } from './grade';
import type { ScoringModel } from './model';
import { roundTo } from './round';
import { CONTRIBUTION_CUTOFF, computeScore, type ScorableTouchpoint, scoreLead } from './score';
import { MS_PER_DAY } from './time';

const day = MS_PER_DAY;
const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

describe('computeScore', () => {
  it('weighs fit and capped engagement, rounding .5 up', () => {
    expect(computeScore({ fit: 59, engagement: 100 }, DEFAULT_SCORING_MODEL)).toBe(80); // 79.5
    expect(computeScore({ fit: 58.98, engagement: 100 }, DEFAULT_SCORING_MODEL)).toBe(79); // 79.49
    expect(computeScore({ fit: 100, engagement: 250 }, DEFAULT_SCORING_MODEL)).toBe(100);
    expect(computeScore({ fit: 0, engagement: 0 }, DEFAULT_SCORING_MODEL)).toBe(0);
    expect(computeScore({ fit: 49, engagement: 0 }, DEFAULT_SCORING_MODEL)).toBe(25); // 24.5
  });

  it('does not let float noise decide a .5', () => {
    expect(0.7 * 45).toBeLessThan(31.5); // the noise this guards against
    expect(computeScore({ fit: 0, engagement: 45 }, { weights: { fit: 0.3, engagement: 0.7 } })).toBe(32);
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
      score: 33, // round(0.5 * 45 + 0.5 * 20) = round(32.5)
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
    const model: ScoringModel = { ...DEFAULT_SCORING_MODEL, weights: { fit: 0, engagement: 1 } };
    const result = scoreLead({}, [{ type: 'email_clicked', occurredAt: t0 }], model, t0 + 10 * day);
    expect(result.engagement).toBe(3.17); // 4 * 2^(-1/3) = 3.1748
    expect(result.score).toBe(3);
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
        (lead, touchpoints, halfLifeDays, at) => {
          const model: ScoringModel = { ...DEFAULT_SCORING_MODEL, halfLifeDays };
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
          const expectedScore = Math.round(0.5 * fit + 0.5 * Math.min(engagement, 100));

          expect(result.fit).toBe(fit);
          expect(result.grade).toBe(gradeFromFit(fit));
          expect(Math.abs(result.engagement - engagement)).toBeLessThanOrEqual(0.005 + 1e-9);
          // Only a weighted sum within float noise of a .5 may round the other way.
          const weighted = 0.5 * fit + 0.5 * Math.min(engagement, 100);
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
