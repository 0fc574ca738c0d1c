import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import type { LeadRow } from '../db/lead-row';
import { leads } from '../db/schema';
import { recordLeadChanges } from '../leads/audit';
import type { Principal } from '../lib/types';

/** Why a lead changed hands. */
export type AssignCause = 'manual' | 'deactivated';

/**
 * The one way a lead changes owner outside its creation: the new owner (null: the unassigned
 * queue), in the caller's transaction, with the audit entry and a `lead.assigned` event (the caller
 * emits its own `lead.updated`). Whatever else must follow an owner (open tasks, cadences) hooks in here.
 */
export async function assignLead(
  tx: Executor,
  principal: Principal,
  lead: LeadRow,
  ownerId: string | null,
  cause: AssignCause,
  now: Date,
): Promise<LeadRow> {
  if (lead.ownerId === ownerId) return lead;
  const [after] = await tx
    .update(leads)
    .set({ ownerId, updatedAt: now })
    .where(and(eq(leads.workspaceId, lead.workspaceId), eq(leads.id, lead.id)))
    .returning();
  await recordLeadChanges(tx, principal, lead, after!, now);
  await emitEvent(
    tx,
    lead.workspaceId,
    'lead.assigned',
    lead.id,
    { from: lead.ownerId, to: ownerId, cause },
    now,
  );
  return after!;
}
