import { and, asc, eq, gt, lt, max } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { events } from '../db/schema';

export const EVENT_TYPES = [
  'lead.created',
  'lead.updated',
  'lead.deleted',
  'lead.stage_changed',
  'touchpoint.logged',
  'touchpoint.removed',
  'scoring.model_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface StoredEvent {
  id: number;
  type: EventType;
  leadId: string | null;
  data: Record<string, unknown>;
  at: string;
}

/** How long events are kept for clients that reconnect (and for nobody else). */
export const EVENT_RETENTION_MS = 24 * 3600_000;

type Listener = () => void;
const listeners = new Set<Listener>();

/** Wakes this process's open streams at once; streams of other processes find it on their next poll. */
export function notifyEventListeners() {
  for (const listener of listeners) listener();
}

export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Records an event in the same transaction as the write it describes. */
export async function emitEvent(
  tx: Executor,
  workspaceId: string,
  type: EventType,
  leadId: string | null,
  data: Record<string, unknown>,
  at = new Date(),
) {
  await tx.insert(events).values({ workspaceId, type, leadId, data, at });
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
