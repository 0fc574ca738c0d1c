import { DEFAULT_SCORING_MODEL, type ScoringModel, TOUCHPOINT_TYPES } from '@leadline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { encodeCursor } from './cursor';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

/** Every number in a JSON answer, with where it is; `null` where a number was expected shows as NaN. */
function numbersIn(value: unknown, path = '$', out: { path: string; value: number }[] = []) {
  if (typeof value === 'number') out.push({ path, value });
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) numbersIn(item, `${path}[${i}]`, out);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) numbersIn(item, `${path}.${key}`, out);
  }
  return out;
}

const SCORE_FIELDS = ['score', 'fit', 'engagement'] as const;

const extremeModel: fc.Arbitrary<ScoringModel> = fc
  .record({
    halfLifeDays: fc.constantFrom(null, 1 / 24, 1, 3650),
    halfAt: fc.option(fc.constantFrom(0.1, 50, 100_000), { nil: null }),
    points: fc.constantFrom(1000, -1000, 0, 999.5),
    wf: fc.constantFrom(0, 0.5, 1),
  })
  .map(({ halfLifeDays, halfAt, points, wf }) => ({
    ...DEFAULT_SCORING_MODEL,
    halfLifeDays,
    engagementCurve: halfAt === null ? { kind: 'cap' as const } : { kind: 'saturating' as const, halfAt },
    weights: { fit: wf, engagement: 1 - wf },
    touchpointPoints: Object.fromEntries(
      TOUCHPOINT_TYPES.map((type) => [type, points]),
    ) as ScoringModel['touchpointPoints'],
  }));

describe('every figure the API answers is a finite number', () => {
  it('refuses points, half-lives and curves outside their bounds, naming them', async () => {
    const cases: [Partial<ScoringModel>, string][] = [
      [
        { touchpointPoints: { ...DEFAULT_SCORING_MODEL.touchpointPoints, meeting_held: 1e308 } },
        'meeting_held',
      ],
      [{ halfLifeDays: 36_500 }, 'halfLifeDays'],
      [{ engagementCurve: { kind: 'saturating', halfAt: 1e-300 } }, 'halfAt'],
    ];
    for (const [change, named] of cases) {
      const res = await t.request('PUT', '/api/scoring-model', {
        body: { ...DEFAULT_SCORING_MODEL, ...change },
      });
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain(named);
    }
  });

  it('for any model within bounds, any history and any moment (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        extremeModel,
        fc.array(
          fc.record({
            type: fc.constantFrom(...TOUCHPOINT_TYPES),
            daysAgo: fc.constantFrom(0.0001, 1, 365, 3650, 36_500),
          }),
          { maxLength: 8 },
        ),
        fc.constantFrom('0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', null),
        async (model, history, at) => {
          expect((await t.request('PUT', '/api/scoring-model', { body: model })).status).toBe(200);
          const lead = (await (
            await t.post('/api/leads', { fullName: `Finite ${n++}`, companySize: 100 })
          ).json()) as {
            id: string;
          };
          const now = Date.now();
          for (const touch of history) {
            const occurredAt = new Date(now - touch.daysAgo * DAY).toISOString();
            await t.post(`/api/leads/${lead.id}/touchpoints`, { type: touch.type, occurredAt });
          }
          const answers = [
            await t.get(`/api/leads/${lead.id}`),
            await t.get(`/api/leads/${lead.id}/score${at ? `?at=${at}` : ''}`),
            await t.get('/api/leads?sort=-score&limit=5'),
          ];
          for (const res of answers) {
            expect(res.status).toBe(200);
            const body = await res.json();
            for (const { path, value } of numbersIn(body)) expect(Number.isFinite(value), path).toBe(true);
            const leads = 'items' in body ? body.items : [body];
            for (const item of leads) {
              for (const field of SCORE_FIELDS) expect(typeof item[field], field).toBe('number');
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a forged hot-list cursor instead of scoring at its moment', async () => {
    for (const forged of [
      { o: 0, t: -1e308 },
      { o: 0, t: 0 },
      { t: 0 },
      { o: 0, t: Date.now() + 10 * DAY },
    ]) {
      const res = await t.get(`/api/leads?sort=-score&cursor=${encodeCursor(forged)}`);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { detail: string }).detail).toContain('cursor');
    }
    const fresh = await t.get(`/api/leads?sort=-score&cursor=${encodeCursor({ o: 0, t: Date.now() })}`);
    expect(fresh.status).toBe(200);
  });
});
