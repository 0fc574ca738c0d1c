import { DEFAULT_SCORING_MODEL, type EngagementCurve, LEAD_STAGES, type LeadStage } from '@leadline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';
import type { ActiveModel } from './model.service';
import { topByScore, topByScoreBruteForce } from './ranking';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const arbLead = fc.record({
  fit: fc.constantFrom(0, 15, 30, 45, 65, 65, 80, 100, 37.5),
  key: fc.option(fc.constantFrom(0, 3.2, 5, 5, 6.6, 7.1, 40, 41.5), { nil: null }),
  stage: fc.constantFrom(...LEAD_STAGES.slice(0, 4)),
  owner: fc.boolean(),
});

const arbModel = fc.record({
  wf: fc.constantFrom(0, 0.3, 0.5, 1),
  halfLifeDays: fc.constantFrom(null, 1, 30),
  curve: fc.constantFrom<EngagementCurve>(
    { kind: 'cap' },
    { kind: 'saturating', halfAt: 50 },
    { kind: 'saturating', halfAt: 2 },
  ),
});

type LeadSpec = { fit: number; key: number | null; stage: LeadStage; owner: boolean };

async function insertLeads(rows: LeadSpec[]) {
  await t.db.transaction(async (tx) => {
    await tx.delete(leads);
    if (!rows.length) return;
    await tx.insert(leads).values(
      rows.map((row, i) => ({
        id: `lead-${String(i).padStart(3, '0')}`,
        workspaceId: t.workspaceId,
        fullName: `Lead ${i}`,
        sourceChannel: 'manual' as const,
        stage: row.stage,
        ownerId: row.owner ? t.adminUserId : null,
        fit: row.fit,
        engagementKey: row.key,
        createdAt: new Date(0),
        updatedAt: new Date(0),
      })),
    );
  });
}

function modelOf(wf: number, halfLifeDays: number | null, engagementCurve: EngagementCurve): ActiveModel {
  return {
    version: 1,
    document: {
      ...DEFAULT_SCORING_MODEL,
      halfLifeDays,
      engagementCurve,
      weights: { fit: wf, engagement: 1 - wf },
    },
    landmarkMs: 0,
    halfLifeMs: halfLifeDays === null ? null : halfLifeDays * DAY,
  };
}

describe('topByScore', () => {
  it('breaks a tie at the stop bound when fit has no weight (found by the property below)', async () => {
    await insertLeads([
      { fit: 100, key: 7.1, stage: 'new', owner: false },
      { fit: 0, key: 41.5, stage: 'new', owner: false },
    ]);
    const model = modelOf(0, null, { kind: 'cap' });
    const fast = await topByScore(t.db, t.workspaceId, {}, 1, model, 0);
    expect(fast.map((entry) => entry.row.id)).toEqual(['lead-001']);
  });

  it('equals brute force for any leads (ties included), k, filters, weights and curve', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbLead, { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        arbModel,
        fc.option(fc.constantFrom('new', 'mql', 'sql'), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4000 }),
        async (rows, k, { wf, halfLifeDays, curve }, stage, byOwner, days) => {
          await insertLeads(rows);
          const model = modelOf(wf, halfLifeDays, curve);
          const atMs = days * (halfLifeDays ?? 1) * DAY * 0.01;
          const filters = { stage, owner: byOwner ? t.adminUserId : undefined };
          const fast = await topByScore(t.db, t.workspaceId, filters, k, model, atMs);
          const brute = await topByScoreBruteForce(t.db, t.workspaceId, filters, k, model, atMs);
          expect(fast.map((entry) => entry.row.id)).toEqual(brute.map((entry) => entry.row.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
