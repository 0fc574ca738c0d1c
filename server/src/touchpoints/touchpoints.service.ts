import type { Touchpoint, TouchpointCreate } from '@leadline/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { leads, touchpoints } from '../db/schema';
import { newId } from '../lib/tokens';
import type { Principal } from '../lib/types';

export type TouchpointRow = typeof touchpoints.$inferSelect;

export function toWireTouchpoint(row: TouchpointRow): Touchpoint {
  return {
    id: row.id,
    leadId: row.leadId,
    type: row.type as Touchpoint['type'],
    occurredAt: row.occurredAt.toISOString(),
    note: row.note,
    channel: row.channel as Touchpoint['channel'],
    userId: row.userId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Inserts a touchpoint and moves the lead's last touch forward (never back: a late log keeps the latest). */
export async function addTouchpoint(
  db: Executor,
  principal: Principal,
  leadId: string,
  input: TouchpointCreate,
  now = new Date(),
): Promise<TouchpointRow> {
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
  const [row] = await db
    .insert(touchpoints)
    .values({
      id: newId(),
      workspaceId: principal.workspaceId,
      leadId,
      userId: principal.userId,
      type: input.type,
      occurredAt,
      note: input.note ?? null,
      channel: input.channel ?? null,
      createdAt: now,
    })
    .returning();
  await db
    .update(leads)
    .set({
      lastTouchAt: sql`max(coalesce(${leads.lastTouchAt}, 0), ${occurredAt.getTime()})`,
      updatedAt: now,
    })
    .where(eq(leads.id, leadId));
  return row!;
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
