import {
  computeNextSteps,
  type LeadStage,
  peakEngagement,
  type ScoreResponse,
  scoreLead,
  type TouchpointType,
  touchpointPointsOf,
} from '@leadline/shared';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { stageChanges, touchpoints } from '../db/schema';
import { type LeadRow, toWireLead, ZERO_SCORE } from '../leads/leads.mapper';
import type { ActiveModel } from './model.service';

/**
 * SCORING.md's score response for one lead at `at`, computed straight from its touchpoints and
 * stage history (any moment, past ones included), with the breakdown and the next steps.
 */
export async function scoreReport(
  db: Executor,
  row: LeadRow,
  model: ActiveModel,
  at: Date,
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
  const typed = touchRows.map((touchpoint) => ({ ...touchpoint, type: touchpoint.type as TouchpointType }));
  const lead = toWireLead(row, ZERO_SCORE);
  const result = scoreLead(lead, typed, model.document, at);
  const history = changeRows.map((change) => ({
    from: change.from as LeadStage | null,
    to: change.to as LeadStage,
    at: change.at,
  }));
  // The stage the lead was in at `at`: the last change up to then (now, the current stage).
  const stageAt = history.filter((change) => change.at <= at).at(-1)?.to ?? (row.stage as LeadStage);
  const peak = peakEngagement(
    typed.map((touchpoint) => ({
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
    touchpoints: typed,
    stageChanges: history,
    at,
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
