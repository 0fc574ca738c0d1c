import {
  type AnalyticsLeadList,
  FUNNEL_STAGES,
  type Funnel,
  type LeadVelocity,
  OPEN_STAGES,
  type Outcomes,
  type RepActivity,
  SOURCE_MEASURES,
  type Sources,
  type SpeedToLead,
} from '@leadline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { addReps, insert, leadArb, reset } from './random-history';

let t: TestApp;
let reps: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  reps = await addReps(t);
});
afterAll(() => t.close());

async function get<T>(path: string): Promise<T> {
  const res = await t.get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Every page of a figure's leads, checking the pages against the totals on the way. */
async function leadsBehind(query: string) {
  const ids = new Set<string>();
  let touchpoints = 0;
  let cursor: string | null = null;
  let first: AnalyticsLeadList | undefined;
  do {
    const page: AnalyticsLeadList = await get<AnalyticsLeadList>(
      `/api/analytics/leads?${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
    );
    first ??= page;
    for (const item of page.items) {
      expect(ids.has(item.id)).toBe(false);
      ids.add(item.id);
      touchpoints += item.touchpoints ?? 0;
    }
    cursor = page.nextCursor;
  } while (cursor);
  expect(ids.size).toBe(first.total);
  if (first.touchpoints !== null) expect(touchpoints).toBe(first.touchpoints);
  return first;
}

const total = async (query: string) => (await leadsBehind(query)).total;
const param = (value: string | null) => encodeURIComponent(value ?? '');

const RANGES = ['', 'from=2025-01-20&to=2025-04-10'];

describe('the leads behind a figure', () => {
  it('are as many as the figure shows, for every bar and row of every chart and table', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadArb, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(...RANGES),
        fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
        async (generated, range, owner) => {
          await reset(t);
          await insert(t, reps, generated);
          const filter = [range, owner === null ? '' : `owner=${reps[owner]}`].filter(Boolean).join('&');
          const q = (figure: string) => `${filter}&figure=${figure}`;

          const funnel = await get<Funnel>(`/api/analytics/funnel?${filter}`);
          for (const [i, stage] of FUNNEL_STAGES.entries()) {
            expect(await total(`${q('funnel')}&stage=${stage}`)).toBe(funnel.steps[i]!.reached);
          }
          for (const cohort of funnel.cohorts) {
            expect(await total(`${q('funnel')}&stage=mql&month=${cohort.month}`)).toBe(cohort.reached.mql);
          }

          const velocity = await get<LeadVelocity>(`/api/analytics/velocity?${filter}`);
          for (const month of velocity.months) {
            expect(await total(`${q('velocity')}&month=${month.month}`)).toBe(month.qualified);
          }

          const speed = await get<SpeedToLead>(`/api/analytics/speed-to-lead?${filter}`);
          expect(await total(q('speed'))).toBe(speed.leads);
          for (const [i, bucket] of speed.buckets.entries()) {
            expect(await total(`${q('speed')}&bucket=${i}`)).toBe(bucket.leads);
          }

          const sources = await get<Sources>(`/api/analytics/sources?${filter}`);
          for (const row of sources.channels) {
            for (const measure of SOURCE_MEASURES) {
              expect(await total(`${q('sources')}&channel=${row.channel}&measure=${measure}`)).toBe(
                row[measure],
              );
            }
          }
          for (const row of sources.campaigns) {
            const key = `channel=${row.channel}&utmSource=${param(row.utmSource)}&utmCampaign=${param(row.utmCampaign)}`;
            expect(await total(`${q('sources')}&${key}&measure=leads`)).toBe(row.leads);
            expect(await total(`${q('sources')}&${key}&measure=won`)).toBe(row.won);
          }

          const outcomes = await get<Outcomes>(`/api/analytics/outcomes?${filter}`);
          expect(await total(q('won'))).toBe(outcomes.winRate.won);
          expect(await total(q('lost'))).toBe(outcomes.winRate.lost);
          expect(await total(q('pipeline'))).toBe(outcomes.pipeline.openLeads);
          for (const stage of OPEN_STAGES) {
            const row = outcomes.pipeline.byStage.find((s) => s.stage === stage)!;
            expect(await total(`${q('pipeline')}&stage=${stage}`)).toBe(row.leads);
          }

          // Rep activity counts touchpoints: the leads listed carry them, and they sum to the figure.
          const activity = await get<RepActivity>(`/api/analytics/rep-activity?${filter}`);
          for (const rep of activity.reps) {
            if (rep.userId === null) continue;
            const list = await leadsBehind(`${range}&owner=${rep.userId}&figure=activity`);
            expect(list.touchpoints).toBe(rep.touchpoints);
            for (const type of new Set(activity.rows.map((row) => row.type))) {
              const shown = activity.rows
                .filter((row) => row.userId === rep.userId && row.type === type)
                .reduce((sum, row) => sum + row.touchpoints, 0);
              const byType = await leadsBehind(`${range}&owner=${rep.userId}&figure=activity&type=${type}`);
              expect(byType.touchpoints).toBe(shown);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('refuses what no figure has: a won pipeline stage, a bucket out of range, a forged cursor', async () => {
    for (const query of [
      'figure=pipeline&stage=won',
      'figure=speed&bucket=9',
      'figure=nope',
      'figure=won&cursor=abc',
    ]) {
      const res = await t.get(`/api/analytics/leads?${query}`);
      expect(res.status, query).toBe(422);
    }
  });
});
