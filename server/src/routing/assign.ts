import type { Assignment, AssignmentCause, RoutingTrace } from '@leadline/shared/routing';
import { addWorkingMinutes } from '@leadline/shared/working-time';
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import type { LeadRow } from '../db/lead-row';
import { leadAssignments, leads } from '../db/schema';
import { recordLeadChanges } from '../leads/audit';
import type { Actor } from '../lib/types';
import { userCalendar } from '../tasks/calendar';

/** The trace of an owner change no rule decided: by hand, a claim, a deactivation, or no routing yet. */
export function handTrace(
  via: 'manual' | 'creator',
  ownerId: string | null,
  summary: string,
  version = 0,
): RoutingTrace {
  return {
    version,
    via,
    ruleId: null,
    ruleName: null,
    strategy: ownerId ? 'person' : 'queue',
    teamId: null,
    passed: [],
    candidates: ownerId ? [{ userId: ownerId, skipped: null }] : [],
    ownerId,
    summary,
  };
}

const SLA_CAUSES: readonly AssignmentCause[] = ['sla_breach', 'sla_escalation'];

/**
 * Records that `lead` went to `trace.ownerId` (or the queue), with the whole decision. A rule's SLA
 * starts here: the touch is due `minutes` working minutes of the new owner's calendar from now.
 */
export async function recordAssignment(
  tx: Executor,
  principal: Actor,
  leadId: string,
  fromOwnerId: string | null,
  cause: AssignmentCause,
  trace: RoutingTrace,
  now: Date,
) {
  const slaDueAt =
    trace.sla && trace.ownerId
      ? addWorkingMinutes(
          await userCalendar(tx, principal.workspaceId, trace.ownerId),
          now,
          trace.sla.minutes,
        )
      : null;
  await tx.insert(leadAssignments).values({
    id: newId(),
    workspaceId: principal.workspaceId,
    leadId,
    fromOwnerId,
    ownerId: trace.ownerId,
    teamId: trace.teamId,
    cause,
    byUserId: principal.userId,
    trace,
    at: now,
    slaDueAt,
  });
}

/**
 * The one way a lead changes owner: the new owner (null: the unassigned queue), in the caller's
 * transaction, with the audit entry, the assignment and its trace, and a `lead.assigned` event (the
 * caller emits its own `lead.updated`). Whatever else must follow an owner (open tasks, cadences)
 * hooks in here.
 */
export async function assignLead(
  tx: Executor,
  principal: Actor,
  lead: LeadRow,
  ownerId: string | null,
  cause: AssignmentCause,
  now: Date,
  trace: RoutingTrace = handTrace(
    'manual',
    ownerId,
    ownerId ? 'assigned by hand' : 'put in the queue by hand',
  ),
): Promise<LeadRow> {
  await recordAssignment(tx, principal, lead.id, lead.ownerId, cause, { ...trace, ownerId }, now);
  if (lead.ownerId === ownerId) {
    await announce(tx, lead, ownerId, cause, trace, now);
    return lead;
  }
  const [after] = await tx
    .update(leads)
    .set({ ownerId, updatedAt: now })
    .where(and(eq(leads.workspaceId, lead.workspaceId), eq(leads.id, lead.id)))
    .returning();
  await recordLeadChanges(tx, principal, lead, after!, now, SLA_CAUSES.includes(cause) ? 'sla' : 'rep');
  await announce(tx, lead, ownerId, cause, trace, now);
  return after!;
}

function announce(
  tx: Executor,
  lead: LeadRow,
  ownerId: string | null,
  cause: AssignmentCause,
  trace: RoutingTrace,
  now: Date,
) {
  return emitEvent(
    tx,
    lead.workspaceId,
    'lead.assigned',
    lead.id,
    { from: lead.ownerId, to: ownerId, cause, summary: trace.summary },
    now,
  );
}

/** A lead's assignments, newest first: the history `GET /api/leads/:id/assignments` serves (and exports). */
export async function leadAssignmentHistory(
  db: Executor,
  workspaceId: string,
  leadId: string,
): Promise<Assignment[]> {
  const rows = await db
    .select()
    .from(leadAssignments)
    .where(and(eq(leadAssignments.workspaceId, workspaceId), eq(leadAssignments.leadId, leadId)))
    .orderBy(desc(leadAssignments.at), desc(leadAssignments.id));
  return rows.map((row) => ({
    id: row.id,
    leadId: row.leadId,
    fromOwnerId: row.fromOwnerId,
    ownerId: row.ownerId,
    cause: row.cause,
    byUserId: row.byUserId,
    trace: row.trace as RoutingTrace,
    at: row.at.toISOString(),
  }));
}
