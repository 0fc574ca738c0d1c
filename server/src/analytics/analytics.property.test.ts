import {
  ATTRIBUTION_MODELS,
  type Attribution,
  type Funnel,
  type Outcomes,
  type RepActivity,
  SOURCE_CHANNELS,
  type Sources,
  type SpeedToLead,
} from '@leadline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import {
  addReps,
  type GeneratedLead,
  insert as insertHistory,
  leadArb,
  reset as resetHistory,
} from './random-history';

let t: TestApp;
let reps: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  reps = await addReps(t);
});
afterAll(() => t.close());

const reset = () => resetHistory(t);
const insert = (generated: GeneratedLead[]) => insertHistory(t, reps, generated);

async function get<T>(path: string): Promise<T> {
  const res = await t.get(path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const cents = (value: number) => Math.round(value * 100);

describe('attribution', () => {
  it('splits every won deal into credits that sum to its value to the cent, under every model', async () => {
    await fc.assert(
      fc.asyncProperty(
        leadArb.map((lead) => ({ ...lead, reached: 4, lost: false })),
        async (lead) => {
          await reset();
          await insert([lead]);
          for (const model of ATTRIBUTION_MODELS) {
            const result = await get<Attribution>(`/api/analytics/attribution?model=${model}`);
            expect(result.wonDeals).toBe(1);
            expect(cents(result.wonValue)).toBe(lead.cents);
            const credits = result.rows.map((row) => cents(row.credit));
            expect(credits.every((credit) => credit > 0)).toBe(true);
            expect(credits.reduce((sum, credit) => sum + credit, 0)).toBe(lead.cents);
            expect(result.channels.reduce((sum, row) => sum + cents(row.credit), 0)).toBe(lead.cents);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('filters', () => {
  it('partition the totals: summed over channels (and over owners) they give the unfiltered figures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leadArb, { minLength: 1, maxLength: 12 }), async (generated) => {
        await reset();
        await insert(generated);
        const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
        const figures = async (filter: string) => {
          const [funnel, speed, sources, attribution, activity] = await Promise.all([
            get<Funnel>(`/api/analytics/funnel?${filter}`),
            get<SpeedToLead>(`/api/analytics/speed-to-lead?${filter}`),
            get<Sources>(`/api/analytics/sources?${filter}`),
            get<Attribution>(`/api/analytics/attribution?model=time_decay&${filter}`),
            get<RepActivity>(`/api/analytics/rep-activity?${filter}`),
          ]);
          return [
            ...funnel.steps.map((step) => step.reached),
            speed.leads,
            speed.touched,
            ...speed.buckets.map((bucket) => bucket.leads),
            sources.total.leads,
            sources.total.sqls,
            cents(sources.total.wonValue),
            attribution.wonDeals,
            cents(attribution.wonValue),
            sum(attribution.channels.map((row) => cents(row.credit))),
            sum(activity.reps.map((rep) => rep.touchpoints)),
          ];
        };
        const total = await figures('');
        const add = (rows: number[][]) => total.map((_, i) => sum(rows.map((row) => row[i]!)));
        expect(
          add(await Promise.all(SOURCE_CHANNELS.map((channel) => figures(`channel=${channel}`)))),
        ).toEqual(total);
        expect(add(await Promise.all(reps.map((owner) => figures(`owner=${owner}`))))).toEqual(total);
        // The sources table itself: its channel rows add up to its total.
        const sources = await get<Sources>('/api/analytics/sources');
        expect(sum(sources.channels.map((row) => row.leads))).toBe(sources.total.leads);
        expect(sum(sources.campaigns.map((row) => row.leads))).toBe(sources.total.leads);
      }),
      { numRuns: 25 },
    );
  });
});

describe('pipeline', () => {
  it('weights the same open leads it sums: weighted never exceeds open, and both add up from the leads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leadArb, { minLength: 1, maxLength: 12 }), async (generated) => {
        await reset();
        await insert(generated);
        const { pipeline } = await get<Outcomes>('/api/analytics/outcomes');
        const open = await t.client.execute(
          "select count(*) as n, total(deal_value) as value from leads where stage in ('new', 'mql', 'sql', 'opportunity')",
        );
        expect(pipeline.openLeads).toBe(Number(open.rows[0]!.n));
        expect(cents(pipeline.value)).toBe(cents(Number(open.rows[0]!.value)));
        expect(pipeline.weightedValue).toBeLessThanOrEqual(pipeline.value + 1e-6);
        expect(pipeline.opportunityValue).toBeLessThanOrEqual(pipeline.value + 1e-6);
      }),
      { numRuns: 25 },
    );
  });
});
