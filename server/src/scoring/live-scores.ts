import { inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { LeadRow } from '../db/lead-row';
import { touchpoints } from '../db/schema';
import { EngagementFold, hasDueTouchpoint, type ScoredLead } from './lead-scoring';
import type { ActiveModel } from './model.service';
import { liveScore } from './score-at';

type EngagementRowColumns = ReturnType<EngagementFold['storedColumns']>;

/**
 * The engagement columns of `leadIds` as of `atMs`, folded from all their touchpoints, as a write
 * would store them: for leads whose touchpoint logged ahead of time has come due but is not folded
 * yet. Reads score those from here and write nothing.
 */
export async function dueEngagement(
  db: Executor,
  leadIds: readonly string[],
  model: ActiveModel,
  atMs: number,
): Promise<Map<string, EngagementRowColumns>> {
  const byLead = new Map<string, EngagementRowColumns>();
  if (!leadIds.length) return byLead;
  const rows = await db
    .select({ leadId: touchpoints.leadId, type: touchpoints.type, occurredAt: touchpoints.occurredAt })
    .from(touchpoints)
    .where(inArray(touchpoints.leadId, [...leadIds]));
  const folds = new Map<string, EngagementFold>(leadIds.map((id) => [id, new EngagementFold(model, atMs)]));
  for (const row of rows) folds.get(row.leadId)?.add(row.type, row.occurredAt.getTime());
  for (const [id, fold] of folds) byLead.set(id, fold.storedColumns());
  return byLead;
}

/**
 * The one way a read scores stored leads: each row as of `atMs` with its live score. A lead with a
 * due, unfolded touchpoint is scored from its touchpoints (its row shows them folded, as the next
 * write will store it); every other lead from its stored columns. Nothing is written.
 */
export async function liveScores(
  db: Executor,
  rows: readonly LeadRow[],
  model: ActiveModel,
  atMs: number,
): Promise<ScoredLead[]> {
  const due = await dueEngagement(
    db,
    rows.filter((row) => hasDueTouchpoint(row, atMs)).map((row) => row.id),
    model,
    atMs,
  );
  return rows.map((stored) => {
    const folded = due.get(stored.id);
    const row = folded ? { ...stored, ...folded } : stored;
    return { row, score: liveScore(row, model, atMs) };
  });
}
