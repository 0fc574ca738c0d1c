import { createTestApp, type TestApp } from '@leadline/server/testing';
import {
  DEFAULT_SCORING_MODEL,
  type Lead,
  type ScoreResponse,
  type ScoringModel,
  TOUCHPOINT_TYPES,
} from '@leadline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveScore, optimisticHistory } from './live-score';

const DAY = 86_400_000;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const modelArb: fc.Arbitrary<ScoringModel> = fc
  .record({
    wf: fc.constantFrom(0, 0.3, 0.5, 0.7, 1),
    halfLifeDays: fc.constantFrom(null, 1, 7, 30),
    halfAt: fc.option(fc.constantFrom(10, 50, 120), { nil: null }),
    points: fc.array(fc.integer({ min: -20, max: 45 }), {
      minLength: TOUCHPOINT_TYPES.length,
      maxLength: TOUCHPOINT_TYPES.length,
    }),
  })
  .map(({ wf, halfLifeDays, halfAt, points }) => ({
    ...DEFAULT_SCORING_MODEL,
    halfLifeDays,
    weights: { fit: wf, engagement: Math.round((1 - wf) * 10) / 10 },
    engagementCurve: halfAt === null ? { kind: 'cap' as const } : { kind: 'saturating' as const, halfAt },
    touchpointPoints: Object.fromEntries(
      TOUCHPOINT_TYPES.map((type, i) => [type, points[i]!]),
    ) as ScoringModel['touchpointPoints'],
  }));

const touchArb = fc.record({
  type: fc.constantFrom(...TOUCHPOINT_TYPES),
  daysAgo: fc.double({ min: 0.001, max: 90, noNaN: true }),
});

describe("the panel's optimistic score", () => {
  it('equals what the API answers once the queued touchpoints arrive (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        modelArb,
        fc.array(touchArb, { maxLength: 6 }),
        fc.array(touchArb, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (model, stored, queued, stampedAtClick) => {
          expect((await t.request('PUT', '/api/scoring-model', { body: model })).status).toBe(200);
          const now = Date.now();
          const res = await t.post('/api/leads', {
            fullName: `Lead ${n++}`,
            title: 'VP Sales',
            email: `lead${n}@acme-robotics.com`,
            companySize: 120,
          });
          const lead = (await res.json()) as Lead;
          for (const touch of stored) {
            const occurredAt = new Date(now - touch.daysAgo * DAY).toISOString();
            await t.post(`/api/leads/${lead.id}/touchpoints`, { type: touch.type, occurredAt });
          }
          const history = (await (await t.get(`/api/leads/${lead.id}/touchpoints`)).json()) as {
            items: { type: string; occurredAt: string }[];
          };
          // What waits in the outbox: some with the time the rep gave, some stamped when clicked.
          const waiting = queued.map((touch) => {
            const at = Math.round(now - touch.daysAgo * DAY);
            return stampedAtClick
              ? { type: touch.type, queuedAt: at }
              : { type: touch.type, occurredAt: new Date(at).toISOString(), queuedAt: now };
          });
          const at = now + 1000;
          const panel = liveScore(lead.fit, optimisticHistory(history.items, waiting), model, at, null);

          for (const touch of waiting) {
            const occurredAt = touch.occurredAt ?? new Date(touch.queuedAt).toISOString();
            await t.post(`/api/leads/${lead.id}/touchpoints`, { type: touch.type, occurredAt });
          }
          const api = (await (
            await t.get(`/api/leads/${lead.id}/score?at=${new Date(at).toISOString()}`)
          ).json()) as ScoreResponse;
          expect(panel.score).toBe(api.score);
          expect(panel.engagement).toBeCloseTo(api.engagement, 2);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('agrees with the API where the old panel formula did not: weights 0.3/0.7, fit 0, engagement 45', () => {
    const model: ScoringModel = {
      ...DEFAULT_SCORING_MODEL,
      halfLifeDays: null,
      weights: { fit: 0.3, engagement: 0.7 },
      engagementCurve: { kind: 'cap' },
      touchpointPoints: { ...DEFAULT_SCORING_MODEL.touchpointPoints, demo_requested: 45 },
    };
    const history = optimisticHistory([], [{ type: 'demo_requested', queuedAt: 0 }]);
    expect(liveScore(0, history, model, 1, null).score).toBe(32); // 31.5 rounds up, as on the API
  });
});
