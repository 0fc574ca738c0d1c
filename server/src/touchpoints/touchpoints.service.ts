import type { Touchpoint, TouchpointCreate } from '@leadline/shared';
import { and, desc, eq } from 'drizzle-orm';
import { authorize } from '../auth/permissions';
import { stopCadencesOnTouch } from '../cadences/stops';
import { deferWrite, type Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import type { LeadRow } from '../db/lead-row';
import { touchpoints } from '../db/schema';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { rebuildScores, rescoreLead } from '../scoring/lead-scoring';
import { activeModel } from '../scoring/model.service';

export type TouchpointRow = typeof touchpoints.$inferSelect;

export function toWireTouchpoint(row: TouchpointRow): Touchpoint {
  return {
    id: row.id,
    leadId: row.leadId,
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    note: row.note,
    channel: row.channel,
    userId: row.userId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** How far ahead of the server's clock a client's "now" may be and still count as now. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * A time a client stamped as "now" on a clock slightly ahead of ours is now, not a future touchpoint
 * that waits to count; anything further ahead was meant for later.
 */
function withinClockSkew(occurredAt: Date, now: Date): Date {
  const ahead = occurredAt.getTime() - now.getTime();
  return ahead > 0 && ahead <= CLOCK_SKEW_MS ? now : occurredAt;
}

/**
 * Inserts a touchpoint and rescores its lead in the same transaction (a late one counts from its own
 * time). `loggedBy` is the rep it counts for: null for what no rep did (a website form's submission).
 */
export async function addTouchpoint(
  db: Executor,
  principal: Principal,
  leadRow: LeadRow,
  input: TouchpointCreate,
  now = new Date(),
  loggedBy: string | null = principal.userId,
): Promise<TouchpointRow> {
  const occurredAt = input.occurredAt ? withinClockSkew(new Date(input.occurredAt), now) : now;
  // Every column is given, so the row is known without reading it back: the insert travels with
  // the transaction's next statement (deferWrite), one round trip to the writer less.
  const row: TouchpointRow = {
    id: newId(),
    workspaceId: principal.workspaceId,
    leadId: leadRow.id,
    userId: loggedBy,
    type: input.type,
    occurredAt,
    note: input.note ?? null,
    channel: input.channel ?? null,
    createdAt: now,
  };
  await deferWrite(db, db.insert(touchpoints).values(row).toSQL());
  // Before the rescore: a reply pauses what runs now, not what a stage it reaches enrols.
  await stopCadencesOnTouch(db, leadRow, input.type, principal.userId, now);
  const model = await activeModel(db, principal.workspaceId);
  const { score } = await rescoreLead(
    db,
    leadRow,
    { kind: 'touchpoint', type: input.type, occurredAt },
    model,
    now,
    principal.userId,
    // The callers read the lead in this transaction, and nothing since has written its row.
    { fresh: true },
  );
  await emitEvent(
    db,
    principal.workspaceId,
    'touchpoint.logged',
    leadRow.id,
    { touchpointId: row.id, type: row.type, occurredAt: occurredAt.toISOString(), score: score.score },
    now,
  );
  return row;
}

export async function listTouchpoints(
  db: Executor,
  workspaceId: string,
  leadId: string,
): Promise<TouchpointRow[]> {
  return db
    .select()
    .from(touchpoints)
    .where(and(eq(touchpoints.workspaceId, workspaceId), eq(touchpoints.leadId, leadId)))
    .orderBy(desc(touchpoints.occurredAt), desc(touchpoints.createdAt));
}

/**
 * Removes a touchpoint and rebuilds its lead's engagement without it. Only whoever logged it (or a
 * manager or admin) may take it back.
 */
export async function deleteTouchpoint(
  db: Executor,
  principal: Principal,
  leadRow: LeadRow,
  touchpointId: string,
) {
  const { workspaceId } = principal;
  const leadId = leadRow.id;
  const where = and(
    eq(touchpoints.workspaceId, workspaceId),
    eq(touchpoints.leadId, leadId),
    eq(touchpoints.id, touchpointId),
  );
  const [found] = await db.select({ userId: touchpoints.userId }).from(touchpoints).where(where);
  if (!found) throw new ProblemException('not-found', `No touchpoint ${touchpointId} on lead ${leadId}`);
  authorize(principal, 'touchpoint.undo', { ownerId: leadRow.ownerId, loggedBy: found.userId });
  await db.delete(touchpoints).where(where);
  const now = new Date();
  await rebuildScores(db, workspaceId, [leadId], await activeModel(db, workspaceId), now);
  await emitEvent(db, workspaceId, 'touchpoint.removed', leadId, { touchpointId }, now);
}
