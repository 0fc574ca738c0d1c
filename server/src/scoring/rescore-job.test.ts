import { DEFAULT_SCORING_MODEL } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed';
import { createTestApp, type TestApp } from '../test-utils';
import { activeModel } from './model.service';
import { rescoreAll } from './rescore';
import { changeModel, rescoreInSlices, runRescoreJob } from './rescore-job';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await seedDemo(t.db, { leads: 60, touchpoints: 400, seed: 7 });
  const model = await activeModel(t.db, t.workspaceId);
  await t.db.transaction((tx) =>
    rescoreAll(tx, t.workspaceId, model, model, new Date(), null, {
      rebuildFit: true,
      rebuildEngagement: true,
      autoStage: false,
    }),
  );
});
afterEach(() => t.close());

const NEXT = {
  ...DEFAULT_SCORING_MODEL,
  halfLifeDays: 9,
  fitRules: DEFAULT_SCORING_MODEL.fitRules.map((rule, i) =>
    i === 0 ? { ...rule, points: rule.points + 7 } : rule,
  ),
};

/** What every lead stores now, by id. */
const stored = async () =>
  (await t.client.execute('select id, fit, engagement_key, stage from leads order by id')).rows.map(
    (row) => ({
      ...row,
    }),
  );

/** A full recomputation under the model in force, in a transaction rolled back: what it would change. */
async function recomputationChanges() {
  const model = await activeModel(t.db, t.workspaceId);
  let changed = -1;
  await t.db
    .transaction(async (tx) => {
      ({ changed } = await rescoreAll(tx, t.workspaceId, model, model, new Date(), null, {
        rebuildFit: true,
        rebuildEngagement: true,
        autoStage: false,
      }));
      throw new Error('roll back');
    })
    .catch(() => {});
  return changed;
}

describe('a model change in slices', () => {
  it('serves the old model and its stored scores until the switch, shows progress, then switches at once', async () => {
    const before = await stored();
    const stopped = await changeModel(t.db, t.workspaceId, NEXT, t.adminUserId, new Date(), {
      sliceSize: 10,
      slices: 3,
    });
    expect(stopped).toBeNull();
    const midway = (await (await t.get('/api/scoring-model')).json()) as {
      version: number;
      rescoring: { version: number; done: number; total: number } | null;
    };
    expect(midway.version).toBe(1);
    expect(midway.rescoring).toEqual({ version: 2, done: 30, total: 60 });
    expect(await stored()).toEqual(before);
    // A second change meanwhile is refused.
    const refused = await t.request('PUT', '/api/scoring-model', { body: DEFAULT_SCORING_MODEL });
    expect(refused.status).toBe(409);

    // Writes meanwhile, on leads already staged and not yet: a touchpoint and an edit.
    const [first, last] = [before[0]!.id as string, before[before.length - 1]!.id as string];
    expect((await t.post(`/api/leads/${first}/touchpoints`, { type: 'meeting_held' })).status).toBe(201);
    expect((await t.patch(`/api/leads/${last}`, { title: 'CEO' })).status).toBe(200);

    const outcome = await runRescoreJob(t.db, t.workspaceId, { sliceSize: 10 });
    expect(outcome).toMatchObject({ version: 2, rescored: 60 });
    const after = (await (await t.get('/api/scoring-model')).json()) as {
      version: number;
      rescoring: unknown;
    };
    expect(after).toMatchObject({ version: 2, rescoring: null });
    expect(after).toMatchObject({ model: NEXT });
    // Every lead's stored columns are what a full recomputation under the new model gives.
    expect(await recomputationChanges()).toBe(0);
    const { rows } = await t.client.execute('select count(*) as n from rescore_staging');
    expect(rows[0]!.n).toBe(0);
  });

  it('answers PUT /api/scoring-model as before: the new version and what the rescore did', async () => {
    const res = await t.request('PUT', '/api/scoring-model', { body: NEXT });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 2, rescored: 60, model: NEXT });
    expect(await recomputationChanges()).toBe(0);
  });

  it('is abandoned, with the old model in force, when a slice fails for another reason than a lock', async () => {
    await changeModel(t.db, t.workspaceId, NEXT, t.adminUserId, new Date(), { sliceSize: 10, slices: 1 });
    await t.client.execute(`update rescore_jobs set document = '{"halfLifeDays":"soon"}'`);
    await expect(runRescoreJob(t.db, t.workspaceId, { sliceSize: 10 })).rejects.toThrow();
    const model = (await (await t.get('/api/scoring-model')).json()) as {
      version: number;
      rescoring: unknown;
    };
    expect(model).toMatchObject({ version: 1, rescoring: null });
  });

  it('scores leads that arrived unscored (the demo seed) in slices, under the model in force, stages kept', async () => {
    const before = await stored();
    await t.client.execute(
      'update leads set fit = 0, engagement_pos = null, engagement_neg = null, engagement_key = null',
    );
    const outcome = await rescoreInSlices(t.db, t.workspaceId);
    expect(outcome).toMatchObject({ version: 1, rescored: 60, stageChanges: 0 });
    expect(await stored()).toEqual(before);
    expect(((await (await t.get('/api/scoring-model')).json()) as { version: number }).version).toBe(1);
  });
});
