import {
  addToForwardSums,
  computeScore,
  EMPTY_FORWARD_SUMS,
  engagementFromKey,
  engagementKey,
  evaluateFit,
  type ForwardSums,
  gradeFromFit,
  type LeadStage,
  nextAutomaticStage,
  type TouchpointType,
  touchpointPointsOf,
} from '@leadline/shared';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { leads, stageChanges, touchpoints } from '../db/schema';
import { emitEvent } from '../events/events.service';
import { type LeadRow, type LeadScore, toWireLead, ZERO_SCORE } from '../leads/leads.mapper';
import { newId } from '../lib/tokens';
import { type ActiveModel, activeModel } from './model.service';

/** Raw (unrounded) score: what ranking compares, so ties in the rounded score order consistently. */
export function rawScore(fit: number, key: number | null, model: ActiveModel, atMs: number): number {
  const engagement = engagementFromKey(key, atMs, model.landmarkMs, model.halfLifeMs);
  return model.document.weights.fit * fit + model.document.weights.engagement * Math.min(engagement, 100);
}

/**
 * The live score of a stored lead at `atMs` from its fit and forward-decay key: exact for any
 * moment at or after its last folded touchpoint (reads fold due touchpoints first).
 */
export function liveScore(
  row: Pick<LeadRow, 'fit' | 'engagementKey'>,
  model: ActiveModel,
  atMs: number,
): LeadScore {
  const engagement = engagementFromKey(row.engagementKey, atMs, model.landmarkMs, model.halfLifeMs);
  return {
    score: computeScore({ fit: row.fit, engagement }, model.document),
    fit: row.fit,
    engagement: Math.round(engagement * 100) / 100,
    grade: gradeFromFit(row.fit),
  };
}

interface TouchpointFacts {
  type: string;
  occurredAt: Date;
}

/** The scoring columns of a lead from its fields and touchpoints, as of `nowMs`. */
export function scoringColumns(
  row: LeadRow,
  touchpointRows: readonly TouchpointFacts[],
  model: ActiveModel,
  nowMs: number,
) {
  const { fit } = evaluateFit(toWireLead(row, ZERO_SCORE), model.document);
  let sums: ForwardSums = EMPTY_FORWARD_SUMS;
  let lastTouchAt: number | null = null;
  let pendingTouchAt: number | null = null;
  for (const touchpoint of touchpointRows) {
    const at = touchpoint.occurredAt.getTime();
    if (at > nowMs) {
      pendingTouchAt = pendingTouchAt === null ? at : Math.min(pendingTouchAt, at);
      continue;
    }
    const points = touchpointPointsOf(model.document, touchpoint.type as TouchpointType);
    sums = addToForwardSums(sums, points, at, model.landmarkMs, model.halfLifeMs);
    lastTouchAt = lastTouchAt === null ? at : Math.max(lastTouchAt, at);
  }
  return {
    fit,
    engagementPos: sums.logPos,
    engagementNeg: sums.logNeg,
    engagementKey: engagementKey(sums),
    lastTouchAt: lastTouchAt === null ? null : new Date(lastTouchAt),
    pendingTouchAt: pendingTouchAt === null ? null : new Date(pendingTouchAt),
  };
}

/**
 * Rescores leads after a write, in the writer's transaction: fit from the fields, engagement sums
 * rebuilt from the lead's touchpoints (so a late touchpoint counts from its own time), and a
 * threshold crossing moves the stage forward, records the change and emits an event.
 */
export async function refreshScores(
  tx: Executor,
  workspaceId: string,
  leadIds: readonly string[],
  model: ActiveModel,
  now: Date,
  userId: string | null = null,
  options: { autoStage?: boolean } = {},
) {
  if (!leadIds.length) return new Map<string, LeadRow>();
  const autoStage = options.autoStage ?? true;
  const rows = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, [...leadIds])));
  const touchRows = await tx
    .select({ leadId: touchpoints.leadId, type: touchpoints.type, occurredAt: touchpoints.occurredAt })
    .from(touchpoints)
    .where(inArray(touchpoints.leadId, [...leadIds]))
    .orderBy(asc(touchpoints.occurredAt));
  const byLead = new Map<string, TouchpointFacts[]>();
  for (const touchpoint of touchRows) {
    const list = byLead.get(touchpoint.leadId);
    if (list) list.push(touchpoint);
    else byLead.set(touchpoint.leadId, [touchpoint]);
  }
  const refreshed = new Map<string, LeadRow>();
  for (const row of rows) {
    const columns = scoringColumns(row, byLead.get(row.id) ?? [], model, now.getTime());
    const score = liveScore(columns, model, now.getTime());
    const current = row.stage as LeadStage;
    const stage = autoStage ? nextAutomaticStage(current, score.score, score.grade, model.document) : current;
    const [updated] = await tx
      .update(leads)
      .set({ ...columns, stage })
      .where(eq(leads.id, row.id))
      .returning();
    if (stage !== row.stage) {
      await tx.insert(stageChanges).values({
        id: newId(),
        workspaceId,
        leadId: row.id,
        fromStage: row.stage,
        toStage: stage,
        cause: 'threshold',
        userId,
        at: now,
      });
      await emitEvent(
        tx,
        workspaceId,
        'lead.stage_changed',
        row.id,
        {
          from: row.stage,
          to: stage,
          cause: 'threshold',
          score: score.score,
        },
        now,
      );
    }
    refreshed.set(row.id, updated!);
  }
  return refreshed;
}

/** Folds touchpoints logged ahead of time whose moment has come; a cheap index probe when none are due. */
export async function foldDueTouchpoints(db: Database, workspaceId: string, now = new Date()) {
  const due = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), lte(leads.pendingTouchAt, now)))
    .limit(1000);
  if (!due.length) return;
  await db.transaction(async (tx) =>
    refreshScores(
      tx,
      workspaceId,
      due.map((row) => row.id),
      await activeModel(tx, workspaceId),
      now,
    ),
  );
}
