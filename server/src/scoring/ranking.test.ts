import {
  DEFAULT_SCORING_MODEL,
  type EngagementCurve,
  LEAD_STAGES,
  type LeadStage,
  TOUCHPOINT_TYPES,
} from '@leadline/shared';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, touchpoints } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';
import { engagementColumns } from './lead-scoring';
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
  stage: fc.constantFrom(...LEAD_STAGES),
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
    await tx.delete(touchpoints);
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

  it('equals brute force for any leads (ties included), k, filters (open only too), weights and curve', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbLead, { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        arbModel,
        fc.option(fc.constantFrom('new', 'mql', 'sql', 'won'), { nil: undefined }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4000 }),
        fc.option(fc.constantFrom('true' as const, 'false' as const), { nil: undefined }),
        async (rows, k, { wf, halfLifeDays, curve }, stage, byOwner, days, open) => {
          await insertLeads(rows);
          const model = modelOf(wf, halfLifeDays, curve);
          const atMs = days * (halfLifeDays ?? 1) * DAY * 0.01;
          // `open`: the hot list's default, every stage but won and lost.
          const filters = { stage, open, owner: byOwner ? t.adminUserId : undefined };
          const fast = await topByScore(t.db, t.workspaceId, filters, k, model, atMs);
          const brute = await topByScoreBruteForce(t.db, t.workspaceId, filters, k, model, atMs);
          expect(fast.map((entry) => entry.row.id)).toEqual(brute.map((entry) => entry.row.id));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays exact while some leads hold a touchpoint that has come due but is not folded yet', async () => {
    const arbTouched = fc.record({
      fit: fc.constantFrom(0, 30, 45, 65, 100),
      stage: fc.constantFrom(...LEAD_STAGES.slice(0, 3)),
      touches: fc.array(
        fc.record({
          type: fc.constantFrom(...TOUCHPOINT_TYPES),
          // Days relative to the moment ranked at; the lead was last written `writtenDaysAgo` before.
          day: fc.integer({ min: -60, max: 3 }),
        }),
        { maxLength: 5 },
      ),
      writtenDaysAgo: fc.integer({ min: 0, max: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbTouched, { maxLength: 40 }),
        fc.integer({ min: 1, max: 15 }),
        arbModel,
        fc.option(fc.constantFrom<LeadStage>('new', 'mql'), { nil: undefined }),
        async (specs, k, { wf, halfLifeDays, curve }, stage) => {
          const model = modelOf(wf, halfLifeDays, curve);
          const atMs = 400 * DAY;
          await t.db.transaction(async (tx) => {
            await tx.delete(touchpoints);
            await tx.delete(leads);
            for (const [i, spec] of specs.entries()) {
              const id = `lead-${String(i).padStart(3, '0')}`;
              const facts = spec.touches.map((touch) => ({
                type: touch.type,
                occurredAt: new Date(atMs + touch.day * DAY),
              }));
              // Stored as the last write left it: touches after that write wait as pending, and some
              // of those have come due by `atMs`.
              const stored = engagementColumns(facts, model, atMs - spec.writtenDaysAgo * DAY);
              await tx.insert(leads).values({
                id,
                workspaceId: t.workspaceId,
                fullName: `Lead ${i}`,
                sourceChannel: 'manual' as const,
                stage: spec.stage,
                fit: spec.fit,
                ...stored,
                createdAt: new Date(0),
                updatedAt: new Date(0),
              });
              if (facts.length) {
                await tx.insert(touchpoints).values(
                  facts.map((fact, j) => ({
                    id: `${id}-t${j}`,
                    workspaceId: t.workspaceId,
                    leadId: id,
                    createdAt: new Date(0),
                    ...fact,
                  })),
                );
              }
            }
          });
          const filters = { stage };
          const fast = await topByScore(t.db, t.workspaceId, filters, k, model, atMs);
          // The reference: every lead's engagement folded as of `atMs` from its touchpoints (what the
          // next write stores), then every lead read.
          await t.db.transaction(async (tx) => {
            for (const [i, spec] of specs.entries()) {
              const facts = spec.touches.map((touch) => ({
                type: touch.type,
                occurredAt: new Date(atMs + touch.day * DAY),
              }));
              await tx
                .update(leads)
                .set(engagementColumns(facts, model, atMs))
                .where(eq(leads.id, `lead-${String(i).padStart(3, '0')}`));
            }
          });
          const brute = await topByScoreBruteForce(t.db, t.workspaceId, filters, k, model, atMs);
          expect(fast.map((entry) => entry.row.id)).toEqual(brute.map((entry) => entry.row.id));
          // The due leads come back as the fold will store them.
          expect(fast.map((entry) => entry.row.lastTouchAt)).toEqual(
            brute.map((entry) => entry.row.lastTouchAt),
          );
          for (const [i, entry] of fast.entries()) expect(entry.raw).toBeCloseTo(brute[i]!.raw, 9);
        },
      ),
      { numRuns: 100 },
    );
  }, 30_000);
});
