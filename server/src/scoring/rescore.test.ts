import {
  computeScore,
  DEFAULT_SCORING_MODEL,
  engagementAt,
  engagementFromKey,
  evaluateFit,
  gradeFromFit,
  type LeadStage,
  nextAutomaticStage,
  type ScorableLead,
  TOUCHPOINT_TYPES,
  type TouchpointType,
  touchpointPointsOf,
} from '@leadline/shared';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { leads, touchpoints, workspaces } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';
import { activeModel } from './model.service';
import { rescoreAll } from './rescore';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const OTHER_WORKSPACE = 'ws-other';

interface LeadSpec {
  lead: ScorableLead & { title: string | null };
  stage: LeadStage;
  staleFit: number;
  touches: { type: TouchpointType; daysAgo: number }[];
}

// Fields fit reads, a stage, a stale fit, and touchpoints in the past and (negative days) ahead.
const specArb: fc.Arbitrary<LeadSpec> = fc.record({
  lead: fc.record({
    title: fc.option(fc.constantFrom('VP Sales', 'Head of IT', 'Engineer', 'Team Lead', 'CEO'), {
      nil: null,
    }),
    email: fc.option(fc.constantFrom('a@acme.io', 'b@gmail.com', 'broken'), { nil: null }),
    phone: fc.option(fc.constantFrom('+4930123456', ''), { nil: null }),
    companySize: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
    bant: fc.record({ budget: fc.option(fc.boolean(), { nil: null }) }),
  }),
  stage: fc.constantFrom<LeadStage>('new', 'new', 'new', 'mql', 'sql', 'won', 'lost'),
  staleFit: fc.constantFrom(0, 15, 65),
  touches: fc.array(
    fc.record({
      type: fc.constantFrom(...TOUCHPOINT_TYPES),
      daysAgo: fc.oneof(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: -10, max: -1 }),
      ),
    }),
    { maxLength: 12 },
  ),
});
const SPECS = fc.sample(specArb, { numRuns: 300, seed: 20_261_122 });

/**
 * The same leads in a fresh app, with a second workspace whose lead ids interleave with them: a
 * twin of each lead, and `crowd` more each, which makes the first workspace a minority of the table.
 */
async function seededApp(specs: readonly LeadSpec[], crowd = 0) {
  const t = await createTestApp();
  await t.db.transaction(async (tx) => {
    await tx.insert(workspaces).values({ id: OTHER_WORKSPACE, name: 'Other', createdAt: NOW });
    const rows = specs.flatMap((spec, i) =>
      [t.workspaceId, OTHER_WORKSPACE].map((workspaceId, w) => ({
        id: `lead-${String(i).padStart(3, '0')}-${w}`,
        workspaceId,
        title: spec.lead.title,
        email: spec.lead.email,
        phone: spec.lead.phone,
        companySize: spec.lead.companySize,
        bantBudget: spec.lead.bant?.budget,
        sourceChannel: 'manual' as const,
        stage: spec.stage,
        fit: spec.staleFit,
        createdAt: NOW,
        updatedAt: NOW,
      })),
    );
    const crowdRows = rows
      .filter((row) => row.workspaceId === OTHER_WORKSPACE)
      .flatMap((row) => Array.from({ length: crowd }, (_, c) => ({ ...row, id: `${row.id}-${c}` })));
    for (const batch of [rows, crowdRows]) {
      for (let start = 0; start < batch.length; start += 200) {
        await tx.insert(leads).values(batch.slice(start, start + 200));
      }
    }
    const touchRows = rows.flatMap((row, r) =>
      specs[Math.floor(r / 2)]!.touches.map((touch, j) => ({
        id: `${row.id}-t${j}`,
        workspaceId: row.workspaceId,
        leadId: row.id,
        type: touch.type,
        occurredAt: new Date(NOW.getTime() - touch.daysAgo * DAY),
        createdAt: NOW,
      })),
    );
    for (let start = 0; start < touchRows.length; start += 200) {
      await tx.insert(touchpoints).values(touchRows.slice(start, start + 200));
    }
  });
  return t;
}

async function rescore(t: TestApp, options: Parameters<typeof rescoreAll>[6]) {
  return t.db.transaction(async (tx) => {
    const model = await activeModel(tx, t.workspaceId);
    return rescoreAll(tx, t.workspaceId, model, model, NOW, null, options);
  });
}

/** Every lead row, the test's own workspace id written as "main" so two apps compare. */
const leadRows = async (t: TestApp) =>
  (await t.client.execute('select * from leads order by id')).rows.map(
    (row): Record<string, unknown> => ({
      ...row,
      workspace_id: row.workspace_id === t.workspaceId ? 'main' : row.workspace_id,
    }),
  );
const leadIndexes = async (t: TestApp) =>
  (
    await t.client.execute(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'leads' order by name",
    )
  ).rows.map((row) => `${row.name}: ${row.sql}`);

const apps: TestApp[] = [];
afterEach(() => {
  for (const t of apps.splice(0)) t.close();
});
async function app(specs: readonly LeadSpec[] = SPECS, crowd = 0) {
  const t = await seededApp(specs, crowd);
  apps.push(t);
  return t;
}

describe('rescoreAll', () => {
  it.each([
    ['most of the table (walked in rowid order)', 0],
    ['a minority of the table (walked through its index)', 2],
  ])(
    'gives every lead of a workspace holding %s its fit, engagement and stage from scratch; other workspaces untouched',
    async (_, crowd) => {
      const t = await app(SPECS, crowd);
      const before = await leadRows(t);
      const result = await rescore(t, { rebuildFit: true, rebuildEngagement: true });
      expect(result.rescored).toBe(SPECS.length);
      const after = await leadRows(t);
      const model = DEFAULT_SCORING_MODEL;
      const active = await activeModel(t.db, t.workspaceId);
      expect(active.document).toEqual(model);
      let moved = 0;
      SPECS.forEach((spec, i) => {
        const row = after.find((lead) => lead.id === `lead-${String(i).padStart(3, '0')}-0`)!;
        const past = spec.touches.filter((touch) => touch.daysAgo >= 0);
        const future = spec.touches.filter((touch) => touch.daysAgo < 0);
        const fit = evaluateFit(spec.lead, model).fit;
        const engagement = engagementAt(
          past.map((touch) => ({
            points: touchpointPointsOf(model, touch.type),
            occurredAt: NOW.getTime() - touch.daysAgo * DAY,
          })),
          NOW,
          model.halfLifeDays,
        );
        expect(row.fit).toBe(fit);
        const stored = engagementFromKey(
          row.engagement_key as number | null,
          NOW.getTime(),
          active.landmarkMs,
          active.halfLifeMs,
        );
        expect(stored).toBeCloseTo(engagement, 9);
        expect(row.last_touch_at).toBe(
          past.length ? NOW.getTime() - Math.min(...past.map((touch) => touch.daysAgo)) * DAY : null,
        );
        expect(row.pending_touch_at).toBe(
          future.length ? NOW.getTime() - Math.max(...future.map((touch) => touch.daysAgo)) * DAY : null,
        );
        const stage = nextAutomaticStage(
          spec.stage,
          computeScore({ fit, engagement }, model),
          gradeFromFit(fit),
          model,
        );
        expect(row.stage).toBe(stage);
        if (stage !== spec.stage) moved++;
      });
      // The other workspace's leads (twins with the same touchpoints) are exactly as seeded.
      const others = (rows: Record<string, unknown>[]) =>
        rows.filter((row) => row.workspace_id === OTHER_WORKSPACE);
      expect(others(after)).toEqual(others(before));
      expect(others(after)).toHaveLength(SPECS.length * (1 + crowd));
      expect(result.stageChanges).toBe(moved);
      expect(moved).toBeGreaterThan(0);
    },
  );

  it.each([
    ['fit and engagement', { rebuildFit: true, rebuildEngagement: true }, 5],
    ['fit alone (ranking indexes only)', { rebuildFit: true }, 3],
  ] as const)(
    'rebuilding %s writes the same rows whether it defers index upkeep or not, and puts every index back as defined',
    async (_, rebuild, deferredCount) => {
      const inPlace = await app();
      const deferred = await app();
      const indexes = await leadIndexes(deferred);
      expect(indexes.some((index) => index.startsWith('leads_ws_rank_idx'))).toBe(true);
      // Pages of 50: five are written in place before the rest is judged worth deferring.
      const a = await rescore(inPlace, { ...rebuild, tuning: { batchSize: 50 } });
      const b = await rescore(deferred, { ...rebuild, tuning: { batchSize: 50, deferIndexesFrom: 1 } });
      expect(a.deferredIndexes).toBe(0);
      expect(b.deferredIndexes).toBe(deferredCount);
      expect({ ...b, deferredIndexes: 0 }).toEqual(a);
      expect(a.changed).toBeGreaterThan(SPECS.length / 2);
      expect(await leadRows(deferred)).toEqual(await leadRows(inPlace));
      expect(await leadIndexes(deferred)).toEqual(indexes);
      // Every rebuilt index holds exactly the table's rows (the integrity check compares them).
      const check = await deferred.client.execute('pragma integrity_check');
      expect(check.rows.map((row) => row[0])).toEqual(['ok']);
    },
  );

  it('leaves indexes and scores as they were when the transaction fails after deferring', async () => {
    const t = await app();
    const rows = await leadRows(t);
    const indexes = await leadIndexes(t);
    await expect(
      t.db.transaction(async (tx) => {
        const model = await activeModel(tx, t.workspaceId);
        const result = await rescoreAll(tx, t.workspaceId, model, model, NOW, null, {
          rebuildFit: true,
          rebuildEngagement: true,
          tuning: { batchSize: 50, deferIndexesFrom: 1 },
        });
        expect(result.deferredIndexes).toBe(5);
        throw new Error('a later step of the same write failed');
      }),
    ).rejects.toThrow('later step');
    expect(await leadRows(t)).toEqual(rows);
    expect(await leadIndexes(t)).toEqual(indexes);
  });

  it('writes nothing when nothing changes, and keeps stored fit and engagement when the model leaves them alone', async () => {
    const t = await app(SPECS.slice(0, 60));
    await rescore(t, { rebuildFit: true, rebuildEngagement: true });
    expect(await rescore(t, { rebuildFit: true, rebuildEngagement: true })).toMatchObject({
      rescored: 60,
      changed: 0,
      stageChanges: 0,
    });
    // Stored scores are kept current by every write, so a thresholds-only change does not read the
    // fields or touchpoints again: a fit set behind its back stays as it is.
    await t.client.execute(`update leads set fit = 99.5 where id = 'lead-000-0'`);
    const rows = await leadRows(t);
    const result = await rescore(t, { autoStage: false });
    expect(result.changed).toBe(0);
    expect(await leadRows(t)).toEqual(rows);
  });
});
