import { and, asc, eq, gt, lt, max } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { EventType } from '../db/events';
import { events } from '../db/schema';

/** How long events are kept for clients that reconnect (and for nobody else). */
export const EVENT_RETENTION_MS = 24 * 3600_000;

export interface StoredEvent {
  id: number;
  type: EventType;
  leadId: string | null;
  data: Record<string, unknown>;
  at: string;
}

export async function eventsAfter(db: Executor, workspaceId: string, afterId: number, limit = 200) {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), gt(events.id, afterId)))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows.map(
    (row): StoredEvent => ({
      id: row.id,
      type: row.type as EventType,
      leadId: row.leadId,
      data: row.data as Record<string, unknown>,
      at: row.at.toISOString(),
    }),
  );
}

export async function latestEventId(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ id: max(events.id) })
    .from(events)
    .where(eq(events.workspaceId, workspaceId));
  return row?.id ?? 0;
}

export async function pruneEvents(tx: Executor, now = new Date()) {
  await tx.delete(events).where(lt(events.at, new Date(now.getTime() - EVENT_RETENTION_MS)));
}
