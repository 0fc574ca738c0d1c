import type { LeadStage } from '@leadline/shared';
import { and, desc, eq } from 'drizzle-orm';
import { onStagesReached } from '../cadences/stops';
import type { Executor } from './client';
import { newId } from './ids';
import { stageChanges } from './schema';

/**
 * Records a move through the funnel, and who made it (null: the score did); analytics read these
 * rows. Every stage change passes here, so cadences hear of each (nurture ends at SQL, rules enrol).
 */
export async function recordStageChange(
  db: Executor,
  by: { workspaceId: string; userId: string | null },
  leadId: string,
  fromStage: LeadStage | null,
  toStage: LeadStage,
  cause: 'created' | 'threshold' | 'rep' | 'import' | 'recycle',
  at: Date,
) {
  await db.insert(stageChanges).values({
    id: newId(),
    workspaceId: by.workspaceId,
    leadId,
    fromStage,
    toStage,
    cause,
    userId: by.userId,
    at,
  });
  await onStagesReached(db, by, [{ leadId, stage: toStage }], at);
}

/** A lead's stage history, newest first, in its wire form. */
export async function listStageChanges(db: Executor, workspaceId: string, leadId: string) {
  const rows = await db
    .select()
    .from(stageChanges)
    .where(and(eq(stageChanges.workspaceId, workspaceId), eq(stageChanges.leadId, leadId)))
    .orderBy(desc(stageChanges.at));
  return rows.map((row) => ({
    id: row.id,
    from: row.fromStage,
    to: row.toStage,
    cause: row.cause,
    userId: row.userId,
    at: row.at.toISOString(),
  }));
}
