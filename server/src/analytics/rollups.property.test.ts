import {
  type AnalyticsQuery,
  ATTRIBUTION_MODELS,
  DEFAULT_SCORING_MODEL,
  DEFAULT_STAGE_PROBABILITIES,
  type Import,
  MS_PER_DAY,
  SOURCE_CHANNELS,
} from '@leadline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, upload } from '../imports/test-helpers';
import { createTestApp, type TestApp } from '../test-utils';
import { toScope } from './analytics.sql';
import {
  funnelFromHistory,
  outcomesFromHistory,
  repActivityFromHistory,
  sourcesFromHistory,
  speedFromHistory,
  velocityFromHistory,
} from './from-history';
import { attributionFromHistory } from './from-history-attribution';
import { recomputedRollups, storedRollups } from './rollups-recompute';

let t: TestApp;
let reps: string[];
beforeAll(async () => {
  t = await createTestApp();
  reps = [];
  for (const name of ['Ola', 'Per']) {
    const res = await t.post('/api/team/people', { name, role: 'rep' });
    reps.push(((await res.json()) as { person: { id: string } }).person.id);
  }
});
afterAll(() => t.close());

const STAGES = ['new', 'mql', 'sql', 'opportunity', 'won', 'lost', 'nurture'] as const;
const TYPES = ['email_sent', 'call_connected', 'email_opened', 'meeting_held', 'page_visit'] as const;
const CAMPAIGNS = ['spring', 'summer'] as const;
const MINUTE = 60_000;

const pick = fc.nat(40);
const campaign = fc.option(fc.constantFrom(...CAMPAIGNS), { nil: null });
const owner = fc.option(fc.nat(2), { nil: null });
const deal = fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null });
/** Minutes from now: logged up to 60 days late, or up to two days ahead. */
const offset = fc.integer({ min: -60 * 24 * 60, max: 2 * 24 * 60 });

const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      channel: fc.constantFrom(...SOURCE_CHANNELS),
      campaign,
      owner,
      stage: fc.constantFrom(...STAGES),
      deal,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('patch' as const),
      lead: pick,
      owner: fc.option(owner, { nil: undefined }),
      stage: fc.option(fc.constantFrom(...STAGES), { nil: undefined }),
      deal: fc.option(deal, { nil: undefined }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('touch' as const),
      lead: pick,
      type: fc.constantFrom(...TYPES),
      minutes: offset,
      channel: fc.option(fc.constantFrom(...SOURCE_CHANNELS), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('untouch' as const), lead: pick, which: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), lead: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      rows: fc.array(fc.record({ stage: fc.constantFrom(...STAGES), daysAgo: fc.nat(90), deal, campaign }), {
        minLength: 1,
        maxLength: 4,
      }),
      undo: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('model' as const), mql: fc.integer({ min: 1, max: 20 }) }),
  },
  // Writes no endpoint makes, which the triggers cover all the same: a stage change recorded late,
  // one taken out, a touchpoint moved in time or to another type, a lead's creation moved, its
  // source changed (as an import that overwrites does).
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('history' as const),
      lead: pick,
      stage: fc.constantFrom(...STAGES),
      minutes: offset,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unhistory' as const), lead: pick, which: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retouch' as const),
      lead: pick,
      which: pick,
      minutes: offset,
      type: fc.constantFrom(...TYPES),
      channel: fc.option(fc.constantFrom(...SOURCE_CHANNELS), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('backdate' as const), lead: pick, minutes: offset }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('resource' as const),
      lead: pick,
      channel: fc.constantFrom(...SOURCE_CHANNELS),
      campaign,
    }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** One sequence that does a bit of everything, run first. */
const EXAMPLE: Op[] = [
  { kind: 'create', channel: 'linkedin', campaign: 'spring', owner: 1, stage: 'new', deal: 250_000 },
  { kind: 'create', channel: 'web', campaign: null, owner: null, stage: 'mql', deal: null },
  { kind: 'touch', lead: 0, type: 'email_sent', minutes: -3 * 24 * 60, channel: null },
  { kind: 'touch', lead: 0, type: 'meeting_held', minutes: -60, channel: 'event' },
  { kind: 'touch', lead: 1, type: 'page_visit', minutes: -10, channel: null },
  { kind: 'create', channel: 'event', campaign: 'summer', owner: 0, stage: 'new', deal: 10_000 },
  { kind: 'touch', lead: 2, type: 'meeting_held', minutes: -30, channel: null },
  { kind: 'patch', lead: 0, owner: undefined, stage: 'won', deal: undefined },
  { kind: 'touch', lead: 0, type: 'call_connected', minutes: -2 * 24 * 60, channel: 'email' },
  { kind: 'untouch', lead: 0, which: 1 },
  {
    kind: 'import',
    rows: [
      { stage: 'won', daysAgo: 20, deal: 99_900, campaign: 'summer' },
      { stage: 'sql', daysAgo: 3, deal: null, campaign: null },
    ],
    undo: false,
  },
  { kind: 'import', rows: [{ stage: 'opportunity', daysAgo: 5, deal: 1_000, campaign: null }], undo: true },
  { kind: 'model', mql: 1 },
  { kind: 'history', lead: 1, stage: 'sql', minutes: -5 },
  { kind: 'unhistory', lead: 1, which: 0 },
  { kind: 'retouch', lead: 0, which: 0, minutes: -4 * 24 * 60, type: 'email_opened', channel: 'web' },
  { kind: 'backdate', lead: 1, minutes: -30 * 24 * 60 },
  { kind: 'resource', lead: 0, channel: 'referral', campaign: 'summer' },
  { kind: 'model', mql: 50 },
];

/** A name for the n-th imported person: imports refuse names with digits. */
let imported = 0;
const letters = (n: number): string =>
  (n >= 26 ? letters(Math.floor(n / 26) - 1) : '') + String.fromCharCode(97 + (n % 26));

const people = () => [t.adminUserId, ...reps];
const closing = (stage: string | null | undefined) =>
  stage === 'won' || stage === 'lost' ? { closeReason: 'Other: property test' } : {};
const rows = async (query: string, ...args: unknown[]) =>
  (await t.client.execute({ sql: query, args: args as never })).rows.map((row) => String(row[0]));
const ofLead = <T>(list: T[], i: number) => list[i % Math.max(1, list.length)];

async function apply(step: Op) {
  const leadIds = await rows('select id from leads order by rowid');
  const lead = 'lead' in step ? ofLead(leadIds, step.lead) : undefined;
  const at = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
  if (step.kind === 'create') {
    const res = await t.post('/api/leads', {
      fullName: `Lead ${leadIds.length}`,
      source: { channel: step.channel, ...(step.campaign ? { utm: { campaign: step.campaign } } : {}) },
      ...(step.owner === null ? {} : { ownerId: people()[step.owner] }),
      stage: step.stage,
      ...(step.deal === null ? {} : { dealValue: step.deal / 100 }),
      ...closing(step.stage),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  } else if (step.kind === 'import') {
    const csv = [
      'Full Name,Email,Lead Status,Create Date,Amount,Campaign',
      ...step.rows.map((row) => {
        imported += 1;
        const name = `Anna ${letters(imported)}`;
        const created = new Date(Date.now() - (row.daysAgo + 1) * MS_PER_DAY).toISOString().slice(0, 10);
        return `${name},anna.${letters(imported)}@example.com,${row.stage},${created},${row.deal === null ? '' : row.deal / 100},${row.campaign ?? ''}`;
      }),
    ].join('\n');
    const staged = (await (await upload(t, csv)).json()) as Import;
    const mapping = ['fullName', 'email', 'stage', 'createdAt', 'dealValue', 'campaign'];
    expect((await t.request('PUT', `/api/imports/${staged.id}`, { body: { mapping } })).status).toBe(200);
    expect((await t.post(`/api/imports/${staged.id}/start`, {})).status).toBe(202);
    expect((await settled(t, staged.id)).status).toBe('done');
    if (step.undo) {
      expect((await t.post(`/api/imports/${staged.id}/undo`, {})).status).toBe(202);
      expect((await settled(t, staged.id)).status).toBe('undone');
    }
  } else if (step.kind === 'model') {
    const res = await t.request('PUT', '/api/scoring-model', {
      body: { ...DEFAULT_SCORING_MODEL, thresholds: { ...DEFAULT_SCORING_MODEL.thresholds, mql: step.mql } },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  } else if (!lead) {
  } else if (step.kind === 'patch') {
    const body = {
      ...(step.owner === undefined ? {} : { ownerId: step.owner === null ? null : people()[step.owner] }),
      ...(step.stage === undefined ? {} : { stage: step.stage, ...closing(step.stage) }),
      ...(step.deal === undefined ? {} : { dealValue: step.deal === null ? null : step.deal / 100 }),
    };
    const res = await t.patch(`/api/leads/${lead}`, body);
    expect([200, 422]).toContain(res.status);
  } else if (step.kind === 'touch') {
    const res = await t.post(`/api/leads/${lead}/touchpoints`, {
      type: step.type,
      occurredAt: at(step.minutes).toISOString(),
      ...(step.channel ? { channel: step.channel } : {}),
    });
    expect(res.status).toBe(201);
  } else if (step.kind === 'untouch') {
    const touch = ofLead(
      await rows('select id from touchpoints where lead_id = ? order by id', lead),
      step.which,
    );
    if (touch) expect((await t.del(`/api/leads/${lead}/touchpoints/${touch}`)).status).toBe(204);
  } else if (step.kind === 'delete') {
    expect((await t.del(`/api/leads/${lead}`)).status).toBe(204);
  } else if (step.kind === 'history') {
    await t.client.execute({
      sql: `insert into stage_changes (id, workspace_id, lead_id, to_stage, cause, at) values (?, ?, ?, ?, 'rep', ?)`,
      args: [`h${Date.now()}${Math.random()}`, t.workspaceId, lead, step.stage, at(step.minutes).getTime()],
    });
  } else if (step.kind === 'unhistory') {
    const change = ofLead(
      await rows('select id from stage_changes where lead_id = ? order by id', lead),
      step.which,
    );
    if (change) await t.client.execute({ sql: 'delete from stage_changes where id = ?', args: [change] });
  } else if (step.kind === 'retouch') {
    const touch = ofLead(
      await rows('select id from touchpoints where lead_id = ? order by id', lead),
      step.which,
    );
    if (touch) {
      await t.client.execute({
        sql: 'update touchpoints set occurred_at = ?, type = ?, channel = ? where id = ?',
        args: [at(step.minutes).getTime(), step.type, step.channel, touch],
      });
    }
  } else if (step.kind === 'resource') {
    await t.client.execute({
      sql: 'update leads set source_channel = ?, utm_campaign = ? where id = ?',
      args: [step.channel, step.campaign, lead],
    });
  } else {
    await t.client.execute({
      sql: 'update leads set created_at = ? where id = ?',
      args: [at(step.minutes).getTime(), lead],
    });
  }
}

/** The filters each sequence is looked at through: none, ranges that cut weeks and months, each filter. */
function scopes(): AnalyticsQuery[] {
  const day = (days: number) => new Date(Date.now() + days * MS_PER_DAY).toISOString().slice(0, 10);
  return [
    {},
    { from: day(-40), to: day(0) },
    { from: day(-3), to: day(-1) },
    { from: day(-20) },
    { to: day(-9) },
    { owner: reps[0]! },
    { channel: 'linkedin' },
    { campaign: 'spring', from: day(-30) },
  ];
}

const query = (scope: AnalyticsQuery) =>
  new URLSearchParams(
    Object.entries(scope).filter(([, v]) => v !== undefined) as [string, string][],
  ).toString();

/** Numbers to 12 significant digits: sums of deal values may differ in the last bit with the row order. */
function approx(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(approx);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, approx(v)]));
  }
  return value;
}

async function endpoint(path: string, scope: AnalyticsQuery) {
  const res = await t.get(`/api/analytics/${path}${path.includes('?') ? '&' : '?'}${query(scope)}`);
  expect(res.status, path).toBe(200);
  return approx(await res.json());
}

async function expectEndpointsAsFromHistory(now: number) {
  for (const filters of scopes()) {
    const scope = toScope(t.workspaceId, filters, now);
    const label = JSON.stringify(filters);
    expect(await endpoint('funnel', filters), `funnel ${label}`).toEqual(
      approx(await funnelFromHistory(t.db, scope)),
    );
    expect(await endpoint('velocity', filters), `velocity ${label}`).toEqual(
      approx(await velocityFromHistory(t.db, scope)),
    );
    expect(await endpoint('speed-to-lead', filters), `speed ${label}`).toEqual(
      approx(await speedFromHistory(t.db, scope)),
    );
    expect(await endpoint('outcomes', filters), `outcomes ${label}`).toEqual(
      approx(await outcomesFromHistory(t.db, scope, DEFAULT_STAGE_PROBABILITIES)),
    );
    expect(await endpoint('sources', filters), `sources ${label}`).toEqual(
      approx(await sourcesFromHistory(t.db, scope)),
    );
    expect(await endpoint('rep-activity', filters), `activity ${label}`).toEqual(
      approx(await repActivityFromHistory(t.db, scope)),
    );
    for (const model of ATTRIBUTION_MODELS) {
      expect(await endpoint(`attribution?model=${model}`, filters), `${model} ${label}`).toEqual(
        approx(await attributionFromHistory(t.db, scope, model)),
      );
    }
  }
}

describe('the analytics rollups (migration 0021)', () => {
  it('equal a recomputation from the history, and the endpoints the queries over the history, after any sequence of writes', async () => {
    // Won deals with several touches, stages moved by a model change, imported histories, completed
    // stays: the example sequence, run first, has each of them.
    let example: number[] | undefined;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 8, maxLength: 40 }), async (ops) => {
        // Each sequence starts from nothing: deleting every lead is a write the triggers follow too.
        await t.client.execute({ sql: 'delete from leads where workspace_id = ?', args: [t.workspaceId] });
        for (const step of ops) await apply(step);
        const stored = await storedRollups(t.db);
        const recomputed = await recomputedRollups(t.db);
        expect(stored.facts).toEqual(recomputed.facts);
        expect(stored.stays).toEqual(recomputed.stays);
        expect(stored.weeks).toEqual(recomputed.weeks);
        expect(stored.credits).toEqual(recomputed.credits);
        expect(stored.days).toEqual(recomputed.days);
        await expectEndpointsAsFromHistory(Date.now());
        const [row] = (
          await t.client.execute(`select
            (select count(distinct c.lead_id) from deal_credits c
              where (select count(*) from touchpoints t where t.lead_id = c.lead_id) > 1),
            (select count(*) from stage_changes where cause = 'threshold'),
            (select count(*) from stage_changes where cause = 'import'),
            (select count(*) from lead_stays where ms is not null)`)
        ).rows;
        example ??= [0, 1, 2, 3].map((i) => Number(row![i]));
      }),
      { numRuns: 12, examples: [[EXAMPLE]] },
    );
    expect(
      example?.every((n) => n > 0),
      `won deals with touches, threshold moves, imported changes, completed stays: ${example}`,
    ).toBe(true);
  }, 300_000);
});
