import type {
  Attribution,
  Funnel,
  LeadStage,
  LeadVelocity,
  Outcomes,
  RepActivity,
  SourceChannel,
  Sources,
  SpeedToLead,
  StageProbabilities,
  TouchpointType,
} from '@leadline/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../db/ids';
import { apiTokens, leads, stageChanges, touchpoints, users } from '../db/schema';
import { hashToken } from '../lib/tokens';
import { createTestApp, type TestApp } from '../test-utils';
import { isoWeek } from './figures';

/**
 * A small history whose every figure below was worked out by hand. All times are UTC, January and
 * February 2025 (1 January 2025 is a Wednesday, in ISO week 2025-W01 that starts on 30 December).
 *
 * lead  created      channel / utm          owner  history (to_stage @ day)                    deal
 * L1    Jan 1 00:00  linkedin li/spring     Rita   new 1, mql 3, sql 5, opportunity 10, won 20  1000.00
 * L2    Jan 2 00:00  email newsletter/spring Bob   new 2, mql 4, sql 8, lost 12                  -
 * L3    Jan 15 00:00 web                    Rita   sql 15 (created there), opportunity 25       500.00
 * L4    Feb 1 00:00  linkedin -/summer      Bob    new 1                                         -
 * L5    Feb 3 00:00  email newsletter/spring Bob   new 3, mql 5, won 20 (skips sql, opp)        333.33
 * L6    Feb 10 00:00 web                    Rita   new 10, mql 11                               200.00
 */
const d = (month: number, day: number, hour = 0, minute = 0) =>
  new Date(Date.UTC(2025, month - 1, day, hour, minute));

let t: TestApp;
let rita: string;
let bob: string;
const REP_TOKEN = 'rep-token-0123456789abcdef';

async function seed(app: TestApp) {
  rita = newId();
  bob = newId();
  const now = d(3, 1);
  await app.db.insert(users).values([
    { id: rita, workspaceId: app.workspaceId, name: 'Rita <b>Rep</b>', role: 'rep', createdAt: now },
    { id: bob, workspaceId: app.workspaceId, name: 'Bob Rep', role: 'rep', createdAt: now },
  ]);
  await app.db.insert(apiTokens).values({
    id: newId(),
    workspaceId: app.workspaceId,
    userId: bob,
    tokenHash: hashToken(REP_TOKEN),
    createdAt: now,
  });
  const lead = (
    id: string,
    createdAt: Date,
    channel: SourceChannel,
    utm: [string | null, string | null],
    ownerId: string,
    stage: LeadStage,
    dealValue: number | null,
  ) => ({
    id,
    workspaceId: app.workspaceId,
    fullName: id,
    sourceChannel: channel,
    utmSource: utm[0],
    utmCampaign: utm[1],
    ownerId,
    stage,
    dealValue,
    createdAt,
    updatedAt: now,
  });
  await app.db
    .insert(leads)
    .values([
      lead('L1', d(1, 1), 'linkedin', ['li', 'spring'], rita, 'won', 1000),
      lead('L2', d(1, 2), 'email', ['newsletter', 'spring'], bob, 'lost', null),
      lead('L3', d(1, 15), 'web', [null, null], rita, 'opportunity', 500),
      lead('L4', d(2, 1), 'linkedin', [null, 'summer'], bob, 'new', null),
      lead('L5', d(2, 3), 'email', ['newsletter', 'spring'], bob, 'won', 333.33),
      lead('L6', d(2, 10), 'web', [null, null], rita, 'mql', 200),
    ]);
  const history: [string, LeadStage | null, LeadStage, Date][] = [
    ['L1', null, 'new', d(1, 1)],
    ['L1', 'new', 'mql', d(1, 3)],
    ['L1', 'mql', 'sql', d(1, 5)],
    ['L1', 'sql', 'opportunity', d(1, 10)],
    ['L1', 'opportunity', 'won', d(1, 20)],
    ['L2', null, 'new', d(1, 2)],
    ['L2', 'new', 'mql', d(1, 4)],
    ['L2', 'mql', 'sql', d(1, 8)],
    ['L2', 'sql', 'lost', d(1, 12)],
    ['L3', null, 'sql', d(1, 15)],
    ['L3', 'sql', 'opportunity', d(1, 25)],
    ['L4', null, 'new', d(2, 1)],
    ['L5', null, 'new', d(2, 3)],
    ['L5', 'new', 'mql', d(2, 5)],
    ['L5', 'mql', 'won', d(2, 20)],
    ['L6', null, 'new', d(2, 10)],
    ['L6', 'new', 'mql', d(2, 11)],
  ];
  await app.db.insert(stageChanges).values(
    history.map(([leadId, fromStage, toStage, at]) => ({
      id: newId(),
      workspaceId: app.workspaceId,
      leadId,
      fromStage,
      toStage,
      cause: fromStage === null ? ('created' as const) : ('rep' as const),
      at,
    })),
  );
  const touches: [string, TouchpointType, Date, string | null, SourceChannel | null][] = [
    ['L1', 'email_sent', d(1, 1, 0, 3), rita, null],
    ['L1', 'call_connected', d(1, 4, 12), rita, 'email'],
    ['L1', 'meeting_held', d(1, 9), rita, 'event'],
    ['L1', 'email_replied', d(1, 15), rita, 'email'],
    ['L1', 'note', d(1, 25), rita, 'web'],
    ['L2', 'call_attempted', d(1, 2, 0, 30), bob, null],
    ['L2', 'email_opened', d(1, 3), null, null],
    ['L3', 'email_sent', d(1, 16), rita, null],
    ['L6', 'form_submitted', d(2, 10), null, 'web'],
    ['L6', 'email_sent', d(2, 10, 2), rita, null],
  ];
  await app.db.insert(touchpoints).values(
    touches.map(([leadId, type, occurredAt, userId, channel]) => ({
      id: newId(),
      workspaceId: app.workspaceId,
      leadId,
      type,
      occurredAt,
      userId,
      channel,
      createdAt: occurredAt,
    })),
  );
}

async function get<T>(path: string): Promise<T> {
  const res = await t.get(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  t = await createTestApp();
  await seed(t);
});
afterAll(() => t.close());

describe('GET /api/analytics/funnel', () => {
  it('counts skipped stages as reached and gives step and overall conversion', async () => {
    const funnel = await get<Funnel>('/api/analytics/funnel');
    // reached: new all 6; mql L1 L2 L3 L5 L6; sql L1 L2 L3 L5; opportunity L1 L3 L5; won L1 L5.
    expect(funnel.steps.map((s) => [s.stage, s.reached])).toEqual([
      ['new', 6],
      ['mql', 5],
      ['sql', 4],
      ['opportunity', 3],
      ['won', 2],
    ]);
    expect(funnel.steps.map((s) => s.stepRate)).toEqual([null, 5 / 6, 4 / 5, 3 / 4, 2 / 3]);
    expect(funnel.steps.map((s) => s.overallRate)).toEqual([1, 5 / 6, 4 / 6, 3 / 6, 2 / 6]);
  });

  it('gives the median time in each stage over completed stays', async () => {
    const funnel = await get<Funnel>('/api/analytics/funnel');
    // new: L1 48 h, L2 48 h, L5 48 h, L6 24 h -> 24 48 48 48 -> 48. L4 is still new (left out).
    // mql: L1 48, L2 96, L5 360 -> 96. sql: L1 120, L2 96, L3 240 -> 120. opportunity: L1 240.
    expect(funnel.steps.map((s) => [s.medianHoursInStage, s.stays])).toEqual([
      [48, 4],
      [96, 3],
      [120, 3],
      [240, 1],
      [null, 0],
    ]);
  });

  it('splits the funnel by the month each lead was created', async () => {
    const funnel = await get<Funnel>('/api/analytics/funnel?from=2025-01-01&to=2025-03-31');
    expect(funnel.cohorts).toEqual([
      { month: '2025-01', partial: false, reached: { new: 3, mql: 3, sql: 3, opportunity: 2, won: 1 } },
      { month: '2025-02', partial: false, reached: { new: 3, mql: 2, sql: 1, opportunity: 1, won: 1 } },
      { month: '2025-03', partial: false, reached: { new: 0, mql: 0, sql: 0, opportunity: 0, won: 0 } },
    ]);
    // A range that cuts a month marks it partial.
    const cut = await get<Funnel>('/api/analytics/funnel?from=2025-01-10&to=2025-02-28');
    expect(cut.cohorts.map((row) => [row.month, row.partial])).toEqual([
      ['2025-01', true],
      ['2025-02', false],
    ]);
  });

  it('filters by owner, channel, campaign and date range', async () => {
    const bobs = await get<Funnel>(`/api/analytics/funnel?owner=${bob}`);
    expect(bobs.steps.map((s) => s.reached)).toEqual([3, 2, 2, 1, 1]); // L2 L4 L5
    const web = await get<Funnel>('/api/analytics/funnel?channel=web');
    expect(web.steps.map((s) => s.reached)).toEqual([2, 2, 1, 1, 0]); // L3 L6
    const spring = await get<Funnel>('/api/analytics/funnel?campaign=spring');
    expect(spring.steps.map((s) => s.reached)).toEqual([3, 3, 3, 2, 2]); // L1 L2 L5
    const feb = await get<Funnel>('/api/analytics/funnel?from=2025-02-01&to=2025-02-28');
    expect(feb.steps.map((s) => s.reached)).toEqual([3, 2, 1, 1, 1]); // L4 L5 L6
    const jan15 = await get<Funnel>('/api/analytics/funnel?from=2025-01-15&to=2025-01-15');
    expect(jan15.steps.map((s) => s.reached)).toEqual([1, 1, 1, 1, 0]); // L3 only: `to` is inclusive
  });

  it('puts a lead created before 1970 on its own day, with a filter and without', async () => {
    // Without a filter the cohorts come from funnel_days, with one from lead_facts: both must floor.
    await t.db.insert(leads).values({
      id: 'L0',
      workspaceId: t.workspaceId,
      fullName: 'L0',
      sourceChannel: 'web',
      stage: 'mql',
      createdAt: new Date(Date.UTC(1969, 11, 31, 12)),
      updatedAt: new Date(Date.UTC(1969, 11, 31, 12)),
    });
    try {
      for (const filter of ['', '&channel=web']) {
        const eve = await get<Funnel>(`/api/analytics/funnel?from=1969-12-31&to=1969-12-31${filter}`);
        expect(eve.cohorts, filter).toEqual([
          { month: '1969-12', partial: true, reached: { new: 1, mql: 1, sql: 0, opportunity: 0, won: 0 } },
        ]);
        const after = await get<Funnel>(`/api/analytics/funnel?from=1970-01-01&to=1970-01-31${filter}`);
        expect(after.steps[0]!.reached, filter).toBe(0);
      }
    } finally {
      await t.db.delete(leads).where(eq(leads.id, 'L0'));
    }
  });
});

describe('GET /api/analytics/velocity', () => {
  it('counts leads in the month they first qualified, and the growth over the month before', async () => {
    // First change to MQL or later: L1 Jan 3, L2 Jan 4, L3 Jan 15, L5 Feb 5, L6 Feb 11.
    const velocity = await get<LeadVelocity>('/api/analytics/velocity?from=2025-01-01&to=2025-03-31');
    expect(velocity.months).toEqual([
      { month: '2025-01', qualified: 3, partial: false, lvr: null },
      { month: '2025-02', qualified: 2, partial: false, lvr: -1 / 3 },
      { month: '2025-03', qualified: 0, partial: false, lvr: -1 },
    ]);
  });

  it('marks a month the range cuts, or one not over yet, as partial and gives it no change', async () => {
    const cut = await get<LeadVelocity>('/api/analytics/velocity?from=2025-01-01&to=2025-02-10');
    expect(cut.months).toEqual([
      { month: '2025-01', qualified: 3, partial: false, lvr: null },
      { month: '2025-02', qualified: 1, partial: true, lvr: null },
    ]);
    const now = new Date();
    const thisMonth = now.toISOString().slice(0, 7);
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString();
    const current = await get<LeadVelocity>(
      `/api/analytics/velocity?from=${last.slice(0, 10)}&to=${now.toISOString().slice(0, 10)}`,
    );
    expect(current.months.map((row) => [row.month, row.partial, row.lvr])).toEqual([
      [last.slice(0, 7), false, null],
      [thisMonth, true, null],
    ]);
  });
});

describe('GET /api/analytics/speed-to-lead', () => {
  it('measures creation to first outbound touch, with shares and buckets', async () => {
    // L1 3 min (email_sent), L2 30 min (call_attempted), L3 1440 min, L6 120 min (the form is
    // inbound), L4 and L5 untouched. Median of 3 30 120 1440 = 75; p90 (nearest rank 4 of 4) = 1440.
    const speed = await get<SpeedToLead>('/api/analytics/speed-to-lead');
    expect(speed).toMatchObject({
      leads: 6,
      touched: 4,
      untouched: 2,
      medianMinutes: 75,
      p90Minutes: 1440,
      within5m: 1 / 6,
      within1h: 2 / 6,
      within24h: 3 / 6,
    });
    expect(speed.buckets.map((b) => [b.label, b.leads])).toEqual([
      ['< 5 min', 1],
      ['5–15 min', 0],
      ['15–60 min', 1],
      ['1–4 h', 1],
      ['4–24 h', 0],
      ['1–3 days', 1],
      ['3–7 days', 0],
      ['> 7 days', 0],
      ['untouched', 2],
    ]);
  });
});

describe('GET /api/analytics/outcomes', () => {
  it('gives the sales cycle, win rate and pipeline weighted by the stage probabilities', async () => {
    const outcomes = await get<Outcomes>('/api/analytics/outcomes');
    // Won: L1 19 days (Jan 1 -> Jan 20), L5 17 days (Feb 3 -> Feb 20); lost: L2.
    expect(outcomes.salesCycle).toEqual({ won: 2, medianDays: 18, meanDays: 18 });
    expect(outcomes.winRate).toEqual({ won: 2, lost: 1, rate: 2 / 3 });
    // Open: L3 opportunity 500 (x 0.4), L6 mql 200 (x 0.05), L4 new without a value.
    expect(outcomes.pipeline).toMatchObject({
      openLeads: 3,
      value: 700,
      weightedValue: 210,
      openOpportunities: 1,
      opportunityValue: 500,
    });
    expect(outcomes.pipeline.byStage.map((s) => [s.stage, s.leads, s.value])).toEqual([
      ['new', 1, 0],
      ['mql', 1, 200],
      ['sql', 0, 0],
      ['opportunity', 1, 500],
    ]);
  });

  it('counts deals closed in the range only', async () => {
    const feb = await get<Outcomes>('/api/analytics/outcomes?from=2025-02-01&to=2025-02-28');
    expect(feb.salesCycle).toEqual({ won: 1, medianDays: 17, meanDays: 17 });
    expect(feb.winRate).toEqual({ won: 1, lost: 0, rate: 1 });
  });

  it('uses the probabilities a manager sets; a rep may read them but not set them', async () => {
    const probabilities: StageProbabilities = { new: 0, mql: 0.1, sql: 0.3, opportunity: 0.5 };
    const denied = await t.request('PUT', '/api/settings/stage-probabilities', {
      body: probabilities,
      token: REP_TOKEN,
    });
    expect(denied.status).toBe(403);
    const bad = await t.request('PUT', '/api/settings/stage-probabilities', {
      body: { ...probabilities, sql: 1.5 },
    });
    expect(bad.status).toBe(422);
    const saved = await t.request('PUT', '/api/settings/stage-probabilities', { body: probabilities });
    expect(saved.status).toBe(200);
    expect(await (await t.get('/api/settings/stage-probabilities', REP_TOKEN)).json()).toEqual(probabilities);
    const outcomes = await get<Outcomes>('/api/analytics/outcomes');
    expect(outcomes.pipeline.weightedValue).toBe(500 * 0.5 + 200 * 0.1);
    await t.request('PUT', '/api/settings/stage-probabilities', {
      body: { new: 0.02, mql: 0.05, sql: 0.2, opportunity: 0.4 },
    });
  });
});

describe('source costs and GET /api/analytics/sources', () => {
  it('stores costs (managers only), replacing a month and source entered again', async () => {
    const denied = await t.request('PUT', '/api/source-costs', {
      body: [{ month: '2025-01', channel: 'linkedin', amount: 1 }],
      token: REP_TOKEN,
    });
    expect(denied.status).toBe(403);
    for (const body of [
      [{ month: '2025-13', channel: 'linkedin', amount: 1 }],
      [{ month: '2025-01', channel: 'linkedin', amount: -1 }],
      [{ month: '2025-01', channel: 'tv', amount: 1 }],
      [
        { month: '2025-01', channel: 'linkedin', amount: 1 },
        { month: '2025-01', channel: 'linkedin', amount: 2 },
      ],
    ]) {
      const res = await t.request('PUT', '/api/source-costs', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const first = await t.request('PUT', '/api/source-costs', {
      body: [{ month: '2025-01', channel: 'linkedin', amount: 999 }],
    });
    expect(first.status).toBe(200);
    const res = await t.request('PUT', '/api/source-costs', {
      body: [
        { month: '2025-01', channel: 'linkedin', amount: 400 },
        { month: '2025-01', channel: 'email', utmSource: 'newsletter', utmCampaign: 'spring', amount: 100 },
        { month: '2025-02', channel: 'email', utmSource: 'newsletter', utmCampaign: 'spring', amount: 100 },
        { month: '2025-02', channel: 'linkedin', utmCampaign: 'summer', amount: 50 },
      ],
    });
    expect(res.status).toBe(200);
    const list = (await (await t.get('/api/source-costs')).json()) as { items: { amount: number }[] };
    expect(list.items.map((item) => item.amount)).toEqual([100, 400, 100, 50]);
  });

  it('gives leads, MQLs, SQLs, won value, cost per lead and SQL, and ROI per channel', async () => {
    const sources = await get<Sources>('/api/analytics/sources?from=2025-01-01&to=2025-02-28');
    const channel = (name: string) => sources.channels.find((row) => row.channel === name);
    // linkedin: L1 (won 1000) and L4; costs 400 (Jan, whole channel) + 50 (Feb, summer).
    expect(channel('linkedin')).toEqual({
      channel: 'linkedin',
      leads: 2,
      mqls: 1,
      sqls: 1,
      won: 1,
      wonValue: 1000,
      cost: 450,
      costPerLead: 225,
      costPerSql: 450,
      roi: (1000 - 450) / 450,
    });
    // email: L2 (lost after sql) and L5 (won 333.33, skipping sql: it still counts as an SQL).
    expect(channel('email')).toMatchObject({
      leads: 2,
      mqls: 2,
      sqls: 2,
      won: 1,
      wonValue: 333.33,
      cost: 200,
    });
    expect(channel('web')).toMatchObject({ leads: 2, mqls: 2, sqls: 1, won: 0, cost: null, roi: null });
    expect(sources.total).toMatchObject({ leads: 6, mqls: 5, sqls: 4, won: 2, wonValue: 1333.33, cost: 650 });
    expect(sources.total.roi).toBeCloseTo((1333.33 - 650) / 650, 12);
  });

  it('matches campaign costs to campaigns exactly and shows costs with no leads', async () => {
    const sources = await get<Sources>('/api/analytics/sources?from=2025-01-01&to=2025-02-28');
    const row = (channel: string, utmSource: string | null, utmCampaign: string | null) =>
      sources.campaigns.find(
        (r) => r.channel === channel && r.utmSource === utmSource && r.utmCampaign === utmCampaign,
      );
    expect(row('email', 'newsletter', 'spring')).toMatchObject({
      leads: 2,
      cost: 200,
      costPerLead: 100,
      costPerSql: 100,
    });
    expect(row('email', 'newsletter', 'spring')?.roi).toBeCloseTo((333.33 - 200) / 200, 12);
    expect(row('linkedin', 'li', 'spring')).toMatchObject({ leads: 1, wonValue: 1000, cost: null });
    expect(row('linkedin', null, 'summer')).toMatchObject({ leads: 1, cost: 50, costPerLead: 50 });
    expect(row('linkedin', null, null)).toMatchObject({ leads: 0, cost: 400, costPerLead: null });
  });

  it('counts only the months of the range, and leaves costs out for one rep', async () => {
    const jan = await get<Sources>('/api/analytics/sources?from=2025-01-01&to=2025-01-31');
    expect(jan.total).toMatchObject({ leads: 3, cost: 500 });
    const bobs = await get<Sources>(`/api/analytics/sources?owner=${bob}`);
    expect(bobs.total).toMatchObject({ leads: 3, cost: null, roi: null });
  });
});

describe('GET /api/analytics/attribution', () => {
  // L1 (1000.00, won Jan 20) has four touches before it was won: Jan 1 linkedin (no channel: its
  // source), Jan 4 email, Jan 9 event, Jan 15 email; the Jan 25 note came after and earns nothing.
  // L5 (333.33) has none: its source channel, email, gets it all. Both are campaign "spring".
  const credits = async (model: string) => {
    const result = await get<Attribution>(`/api/analytics/attribution?model=${model}`);
    expect(result.wonDeals).toBe(2);
    expect(result.wonValue).toBe(1333.33);
    expect(result.campaigns).toEqual([{ campaign: 'spring', credit: 1333.33, share: 1 }]);
    return Object.fromEntries(result.channels.map((row) => [row.channel, row.credit]));
  };

  it.each([
    ['first_touch', { linkedin: 1000, email: 333.33 }],
    ['last_touch', { email: 1333.33 }],
    // 4 touches x 250.
    ['linear', { linkedin: 250, email: 833.33, event: 250 }],
    // 40 / 10 / 10 / 40.
    ['u_shaped', { linkedin: 400, email: 833.33, event: 100 }],
    // Anchors: first touch (Jan 1), MQL touch = last touch by the MQL on Jan 3 (Jan 1 again), opportunity
    // touch = last touch by Jan 10 (Jan 9). Jan 1 holds two 30% slots, Jan 9 one; the 10% goes 5/5 to
    // Jan 4 and Jan 15.
    ['w_shaped', { linkedin: 600, email: 433.33, event: 300 }],
    // 2^(-age/7 days) at ages 18.998, 15.5, 11 and 5 days: exact shares 11599.82, 16401.24, 25609.20,
    // 46389.73 cents; floors sum to 99998, so the two largest remainders (Jan 1, Jan 15) get a cent.
    ['time_decay', { linkedin: 116, email: 164.01 + 463.9 + 333.33, event: 256.09 }],
  ])('credits by %s', async (model, expected) => {
    const got = await credits(model);
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [channel, credit] of Object.entries(expected)) expect(got[channel]).toBeCloseTo(credit, 9);
  });

  it('defaults to linear and refuses an unknown model', async () => {
    expect((await get<Attribution>('/api/analytics/attribution')).model).toBe('linear');
    expect((await t.get('/api/analytics/attribution?model=magic')).status).toBe(422);
  });

  it('credits only deals won in the range', async () => {
    const feb = await get<Attribution>('/api/analytics/attribution?from=2025-02-01&model=first_touch');
    expect(feb).toMatchObject({
      wonDeals: 1,
      wonValue: 333.33,
      channels: [{ channel: 'email', credit: 333.33 }],
    });
  });
});

describe('GET /api/analytics/rep-activity', () => {
  it('counts touchpoints by rep, type and ISO week, with names as given', async () => {
    const activity = await get<RepActivity>('/api/analytics/rep-activity?from=2025-01-01&to=2025-02-28');
    expect(activity.reps).toEqual([
      { userId: rita, name: 'Rita <b>Rep</b>', touchpoints: 7 },
      { userId: null, name: '(no rep)', touchpoints: 2 },
      { userId: bob, name: 'Bob Rep', touchpoints: 1 },
    ]);
    const ritas = activity.rows.filter((row) => row.userId === rita);
    expect(ritas.map((row) => [row.week, row.weekStart, row.type, row.touchpoints])).toEqual([
      ['2025-W01', '2024-12-30', 'call_connected', 1],
      ['2025-W01', '2024-12-30', 'email_sent', 1],
      ['2025-W02', '2025-01-06', 'meeting_held', 1],
      ['2025-W03', '2025-01-13', 'email_replied', 1],
      ['2025-W03', '2025-01-13', 'email_sent', 1],
      ['2025-W04', '2025-01-20', 'note', 1],
      ['2025-W07', '2025-02-10', 'email_sent', 1],
    ]);
    const filtered = await get<RepActivity>(`/api/analytics/rep-activity?owner=${bob}`);
    expect(filtered.rows).toEqual([
      { week: '2025-W01', weekStart: '2024-12-30', userId: bob, type: 'call_attempted', touchpoints: 1 },
    ]);
    const web = await get<RepActivity>('/api/analytics/rep-activity?channel=web');
    // The note on L1 (its own channel web), L3's e-mail and L6's two touches (web by source or own).
    expect(web.reps.reduce((sum, rep) => sum + rep.touchpoints, 0)).toBe(4);
  });

  it('names ISO weeks across year ends', () => {
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2020-12-28T00:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(isoWeek(new Date('2026-12-28T00:00:00Z'))).toBe('2026-W53');
  });
});

describe('every analytics endpoint', () => {
  const paths = [
    '/api/analytics/funnel',
    '/api/analytics/velocity',
    '/api/analytics/speed-to-lead',
    '/api/analytics/outcomes',
    '/api/analytics/sources',
    '/api/analytics/attribution',
    '/api/analytics/rep-activity',
  ];

  it.each(paths)('%s refuses bad filters with a 422 problem', async (path) => {
    for (const query of [
      'from=2025-02-30',
      'from=yesterday',
      'to=2025-1-1',
      'from=2025-03-01&to=2025-02-01',
      'channel=tv',
      'campaign=',
      'colour=blue',
    ]) {
      const res = await t.get(`${path}?${query}`);
      expect(res.status, `${path}?${query}`).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it.each(paths)('%s needs a token', async (path) => {
    expect((await t.get(path, null)).status).toBe(401);
  });

  it('are described in the OpenAPI document', async () => {
    const doc = (await (await t.get('/openapi.json', null)).json()) as { paths: Record<string, unknown> };
    for (const path of [...paths, '/api/settings/stage-probabilities', '/api/source-costs']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
