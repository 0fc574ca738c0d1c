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

/** Bound values a statement of `emitEvents` carries at most (SQLite's limit is 32,766). */
const EVENTS_PER_STATEMENT = 5000;

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
  // Written out, not built by drizzle: its builder spent ~10 ms on an import slice's 500 events
  // (the columns as drizzle stores them: JSON text, milliseconds).
  for (let start = 0; start < rows.length; start += EVENTS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + EVENTS_PER_STATEMENT);
    await deferWrite(tx, {
      sql: `insert into events (workspace_id, type, lead_id, data, at) values ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      params: chunk.flatMap((row) => [
        row.workspaceId,
        row.type,
        row.leadId,
        JSON.stringify(row.data),
        row.at.getTime(),
      ]),
    });
  }
  afterCommit(tx, notifyListeners);
}
