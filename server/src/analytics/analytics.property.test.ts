import {
  ATTRIBUTION_MODELS,
  type Attribution,
  type Funnel,
  type LeadStage,
  type Outcomes,
  type RepActivity,
  SOURCE_CHANNELS,
  type Sources,
  type SpeedToLead,
} from '@leadline/shared';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { leads, stageChanges, touchpoints, users } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const PATH = ['new', 'mql', 'sql', 'opportunity', 'won'] as const;
const TYPES = ['email_sent', 'call_attempted', 'email_opened', 'meeting_held', 'page_visit'] as const;

let t: TestApp;
const reps: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['Rep A', 'Rep B', 'Rep C']) {
    const id = newId();
    reps.push(id);
    await t.db
      .insert(users)
      .values({ id, workspaceId: t.workspaceId, name, role: 'rep', createdAt: new Date(T0) });
  }
});
afterAll(() => t.close());

const touchArb = fc.record({
  offsetMinutes: fc.integer({ min: -60, max: 60 * 24 * 60 }),
  type: fc.constantFrom(...TYPES),
  channel: fc.option(fc.constantFrom(...SOURCE_CHANNELS), { nil: null }),
  rep: fc.integer({ min: 0, max: 2 }),
});

const leadArb = fc.record({
  createdDay: fc.integer({ min: 0, max: 120 }),
  channel: fc.constantFrom(...SOURCE_CHANNELS),
  campaign: fc.option(fc.constantFrom('spring', 'summer'), { nil: null }),
  owner: fc.integer({ min: 0, max: 2 }),
  /** How far along the funnel the history goes, and whether it then ends lost. */
  reached: fc.integer({ min: 0, max: 4 }),
  lost: fc.boolean(),
  skipsSql: fc.boolean(),
  stepDays: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }),
  cents: fc.integer({ min: 0, max: 50_000_000 }),
  touches: fc.array(touchArb, { maxLength: 8 }),
});

async function reset() {
  await t.db.delete(touchpoints);
  await t.db.delete(stageChanges);
  await t.db.delete(leads).where(sql`1 = 1`);
}

type GeneratedLead = typeof leadArb extends fc.Arbitrary<infer T> ? T : never;

async function insert(generated: GeneratedLead[]) {
  for (const [i, lead] of generated.entries()) {
    const id = `P${i}`;
    const createdAt = T0 + lead.createdDay * DAY;
    const history: { to: LeadStage; at: number }[] = [{ to: 'new', at: createdAt }];
    let at = createdAt;
    for (let step = 1; step <= lead.reached; step++) {
      if (step === 2 && lead.skipsSql && lead.reached > 2) continue;
      at += lead.stepDays[step - 1]! * DAY + 1;
      history.push({ to: PATH[step]!, at });
    }
    if (lead.lost && lead.reached < 4) history.push({ to: 'lost', at: at + DAY });
    const stage = history[history.length - 1]!.to;
    await t.db.insert(leads).values({
      id,
      workspaceId: t.workspaceId,
      fullName: id,
      sourceChannel: lead.channel,
      utmCampaign: lead.campaign,
      ownerId: reps[lead.owner],
      stage,
      dealValue: lead.cents / 100,
      createdAt: new Date(createdAt),
      updatedAt: new Date(at),
    });
    await t.db.insert(stageChanges).values(
      history.map((change, k) => ({
        id: `${id}-s${k}`,
        workspaceId: t.workspaceId,
        leadId: id,
        fromStage: k === 0 ? null : history[k - 1]!.to,
        toStage: change.to,
        cause: k === 0 ? ('created' as const) : ('rep' as const),
        at: new Date(change.at),
      })),
    );
    if (lead.touches.length) {
      await t.db.insert(touchpoints).values(
        lead.touches.map((touch, k) => ({
          id: `${id}-t${k}`,
          workspaceId: t.workspaceId,
          leadId: id,
          userId: reps[touch.rep],
          type: touch.type,
          channel: touch.channel,
          occurredAt: new Date(createdAt + touch.offsetMinutes * 60_000),
          createdAt: new Date(createdAt),
        })),
      );
    }
  }
}

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
