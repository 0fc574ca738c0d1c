import {
  computeNextSteps,
  peakEngagement,
  type ScoreResponse,
  scoreLead,
  touchpointPointsOf,
} from '@leadline/shared';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { type LeadRow, toScorable } from '../db/lead-row';
import { stageChanges, touchpoints, workspaces } from '../db/schema';
import type { ActiveModel } from './model.service';

/**
 * SCORING.md's score response for one lead at `at`, computed straight from its touchpoints and
 * stage changeRows (any moment, past ones included), with the breakdown and the next steps.
 */
export async function scoreReport(
  db: Executor,
  row: LeadRow,
  model: ActiveModel,
  at: Date,
  /** The workspace's recycle days, when the caller has read them already (a list of leads). */
  recycleDays?: number,
): Promise<ScoreResponse> {
  const [touchRows, changeRows] = await Promise.all([
    db
      .select({ id: touchpoints.id, type: touchpoints.type, occurredAt: touchpoints.occurredAt })
      .from(touchpoints)
      .where(eq(touchpoints.leadId, row.id))
      .orderBy(asc(touchpoints.occurredAt)),
    db
      .select({ from: stageChanges.fromStage, to: stageChanges.toStage, at: stageChanges.at })
      .from(stageChanges)
      .where(eq(stageChanges.leadId, row.id))
      .orderBy(asc(stageChanges.at)),
  ]);
  const lead = toScorable(row);
  const result = scoreLead(lead, touchRows, model.document, at);
  // The stage the lead was in at `at`: the last change up to then (now, the current stage).
  const stageAt = changeRows.filter((change) => change.at <= at).at(-1)?.to ?? row.stage;
  const peak = peakEngagement(
    touchRows.map((touchpoint) => ({
      points: touchpointPointsOf(model.document, touchpoint.type),
      occurredAt: touchpoint.occurredAt,
    })),
    model.document.halfLifeDays,
    at,
  );
  const nextSteps = computeNextSteps({
    lead: { ...lead, stage: stageAt, createdAt: row.createdAt },
    score: result.score,
    grade: result.grade,
    engagement: result.engagement,
    peakEngagement: peak,
    touchpoints: touchRows,
    stageChanges: changeRows,
    at,
    recycle: {
      mqlThreshold: model.document.thresholds.mql,
      afterDays: recycleDays ?? (await recycleAfterDays(db, row.workspaceId)),
    },
  });
  return {
    score: result.score,
    fit: result.fit,
    engagement: result.engagement,
    grade: result.grade,
    stage: stageAt,
    modelVersion: model.version,
    at: at.toISOString(),
    breakdown: result.breakdown,
    nextSteps,
  };
}

/** After how many untouched days a cold SQL is offered back to nurture (a workspace setting). */
export async function recycleAfterDays(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ days: workspaces.recycleAfterDays })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return row?.days ?? 30;
}
