import { and, asc, eq, gt, or } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { type EventType, onEvent } from '../db/events';
import { events } from '../db/schema';
import { latestEventId, type StoredEvent } from './events.service';

/** One query for every listened workspace: the events after each one's cursor, oldest first. */
export type PollEvents = (
  db: Executor,
  cursors: ReadonlyMap<string, number>,
  limit: number,
) => Promise<(StoredEvent & { workspaceId: string })[]>;

export const pollEvents: PollEvents = async (db, cursors, limit) => {
  const since = [...cursors].map(([workspaceId, after]) =>
    and(eq(events.workspaceId, workspaceId), gt(events.id, after)),
  );
  const rows = await db
    .select()
    .from(events)
    .where(or(...since))
    .orderBy(asc(events.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    workspaceId: row.workspaceId,
    type: row.type as EventType,
    leadId: row.leadId,
    data: row.data as Record<string, unknown>,
    at: row.at.toISOString(),
  }));
};

export interface HubOptions {
  poll: PollEvents;
  /** How often the hub reads the events of other API processes. */
  intervalMs: number;
  /** A write of this process wakes the hub early, but never sooner than this after the last poll. */
  minGapMs: number;
  /** Open streams per token; a new one past this closes the oldest. */
  maxStreamsPerToken: number;
  batch: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  poll: pollEvents,
  intervalMs: 1000,
  minGapMs: 250,
  maxStreamsPerToken: 3,
  batch: 500,
};

export interface Listener {
  workspaceId: string;
  tokenId: string;
  deliver(event: StoredEvent): void;
  /** The hub ends the stream (a newer one of the same token took its place). */
  close(reason: string): void;
}

/**
 * The process's one reader of the event log. Every open stream listens here; the hub polls once a
 * second (and soon after a write of this process) with ONE query for all the workspaces that have
 * listeners, and fans each event out to that workspace's streams. Cost per second is one query
 * however many streams are open.
 */
export class EventHub {
  private readonly options: HubOptions;
  private readonly byWorkspace = new Map<string, Set<Listener>>();
  private readonly byToken = new Map<string, Listener[]>();
  /** The last event id fanned out, per listened workspace. */
  private readonly cursors = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDueAt = 0;
  private polling = false;
  /** A write committed while a poll was running: poll again soon after it. */
  private wokenWhilePolling = false;
  private lastPollAt = 0;
  private stopWaking: (() => void) | undefined;

  constructor(
    private readonly db: Executor,
    options: Partial<HubOptions> = {},
  ) {
    this.options = { ...DEFAULT_HUB_OPTIONS, ...options };
  }

  /**
   * Starts fanning `listener`'s workspace out to it and returns the cursor it starts after: every
   * event with a greater id will be delivered. Past the per-token limit, the oldest stream of the
   * same token is closed.
   */
  async subscribe(listener: Listener): Promise<{ cursor: number; unsubscribe: () => void }> {
    const { workspaceId, tokenId } = listener;
    if (!this.cursors.has(workspaceId)) {
      const latest = await latestEventId(this.db, workspaceId);
      // Another stream of the workspace may have joined meanwhile, with a cursor already moving.
      if (!this.cursors.has(workspaceId)) this.cursors.set(workspaceId, latest);
    }
    const same = this.byToken.get(tokenId) ?? [];
    while (same.length >= this.options.maxStreamsPerToken) {
      const oldest = same.shift()!;
      this.remove(oldest);
      oldest.close(`more than ${this.options.maxStreamsPerToken} event streams were opened with this token`);
    }
    same.push(listener);
    this.byToken.set(tokenId, same);
    const listeners = this.byWorkspace.get(workspaceId) ?? new Set();
    listeners.add(listener);
    this.byWorkspace.set(workspaceId, listeners);
    this.start();
    return { cursor: this.cursors.get(workspaceId)!, unsubscribe: () => this.remove(listener) };
  }

  /** Open streams, for tests and diagnostics. */
  get size(): number {
    let count = 0;
    for (const listeners of this.byWorkspace.values()) count += listeners.size;
    return count;
  }

  /** Closes every stream and stops polling. */
  close() {
    for (const listeners of [...this.byWorkspace.values()]) {
      for (const listener of listeners) {
        this.remove(listener);
        listener.close('the server is shutting down');
      }
    }
    this.stop();
  }

  private remove(listener: Listener) {
    const listeners = this.byWorkspace.get(listener.workspaceId);
    listeners?.delete(listener);
    if (listeners && listeners.size === 0) {
      this.byWorkspace.delete(listener.workspaceId);
      this.cursors.delete(listener.workspaceId);
    }
    const same = this.byToken.get(listener.tokenId);
    if (same) {
      const rest = same.filter((other) => other !== listener);
      if (rest.length) this.byToken.set(listener.tokenId, rest);
      else this.byToken.delete(listener.tokenId);
    }
    if (this.byWorkspace.size === 0) this.stop();
  }

  private start() {
    if (!this.stopWaking) this.stopWaking = onEvent(() => this.schedule(this.options.minGapMs));
    if (this.timer === undefined && !this.polling) this.schedule(this.options.intervalMs);
  }

  private stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopWaking?.();
    this.stopWaking = undefined;
  }

  /** Polls `gapMs` after the last poll at the latest (sooner than a timer already set only). */
  private schedule(gapMs: number) {
    if (this.byWorkspace.size === 0) return;
    if (this.polling) {
      this.wokenWhilePolling = true;
      return;
    }
    const dueAt = Math.max(Date.now(), this.lastPollAt + gapMs);
    if (this.timer !== undefined) {
      if (this.timerDueAt <= dueAt) return;
      clearTimeout(this.timer);
    }
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.tick(), dueAt - Date.now());
    this.timer.unref?.();
  }

  private async tick() {
    this.timer = undefined;
    if (this.byWorkspace.size === 0) return;
    this.polling = true;
    this.wokenWhilePolling = false;
    this.lastPollAt = Date.now();
    let full = false;
    try {
      const batch = await this.options.poll(this.db, new Map(this.cursors), this.options.batch);
      full = batch.length === this.options.batch;
      for (const { workspaceId, ...event } of batch) {
        const cursor = this.cursors.get(workspaceId);
        if (cursor === undefined || event.id <= cursor) continue;
        this.cursors.set(workspaceId, event.id);
        for (const listener of this.byWorkspace.get(workspaceId) ?? []) listener.deliver(event);
      }
    } catch (error) {
      // The database went away for a moment (failover, shutdown): the next tick tries again.
      console.error('event hub: reading the event log failed:', error);
    } finally {
      this.polling = false;
    }
    // A full batch means more are waiting: read on at once.
    this.schedule(full ? 0 : this.wokenWhilePolling ? this.options.minGapMs : this.options.intervalMs);
  }
}
