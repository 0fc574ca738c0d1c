import type { LeadStage } from '@leadline/shared';
import { onStageReached } from '../cadences/stops';
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
  await onStageReached(db, by, leadId, toStage, at);
}
