import type { LeadStage } from '@leadline/shared';
import type { Executor } from './client';
import { newId } from './ids';
import { stageChanges } from './schema';

/** Records a move through the funnel, and who made it (null: the score did); analytics read these rows. */
export async function recordStageChange(
  db: Executor,
  by: { workspaceId: string; userId: string | null },
  leadId: string,
  fromStage: LeadStage | null,
  toStage: LeadStage,
  cause: 'created' | 'threshold' | 'rep' | 'import',
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
}
