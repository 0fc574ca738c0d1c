import { insertRows } from './bulk-insert';
import { afterCommit, deferWrite, type Executor } from './client';
import { events } from './schema';

export const EVENT_TYPES = [
  'lead.created',
  'lead.updated',
  'lead.deleted',
  'lead.stage_changed',
  'lead.assigned',
  'touchpoint.logged',
  'touchpoint.removed',
  'scoring.model_changed',
  'import.finished',
  'task.created',
  'task.updated',
  'task.completed',
  'enrolment.changed',
  'cadence.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

type Listener = () => void;
const listeners = new Set<Listener>();

/**
 * Calls `listener` after every write of this process that emitted an event has committed (this
 * process's open streams wake at once; other processes' streams find the event on their next poll).
 */
export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notifyListeners() {
  for (const listener of listeners) listener();
}

/**
 * Records an event in the same transaction as the write it describes. The listeners are woken
 * once that transaction commits, by the transaction itself: no write has to remember to.
 */
export async function emitEvent(
  tx: Executor,
  workspaceId: string,
  type: EventType,
  leadId: string | null,
  data: Record<string, unknown>,
  at = new Date(),
) {
  await deferWrite(tx, tx.insert(events).values({ workspaceId, type, leadId, data, at }).toSQL());
  afterCommit(tx, notifyListeners);
}

/** Several events of one write at once (the cadence engine's batch: one insert, not one per task). */
export async function emitEvents(
  tx: Executor,
  rows: {
    workspaceId: string;
    type: EventType;
    leadId: string | null;
    data: Record<string, unknown>;
    at: Date;
  }[],
) {
  if (!rows.length) return;
  // Not built by drizzle: its builder spent ~10 ms on an import slice's 500 events.
  await insertRows(tx, events, rows);
  afterCommit(tx, notifyListeners);
}
