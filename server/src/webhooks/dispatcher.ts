import { hostname } from 'node:os';
import { and, asc, eq, gt, inArray, isNull, lt, lte, ne, or } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { onEvent } from '../db/events';
import { newId } from '../db/ids';
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema';
import { type SendResult, sendWebhook } from './send';
import { webhookHeaders } from './signing';

/**
 * When each try of a delivery happens, after the one before failed: at once, then 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h later (about three days in all), each with ±10 %
 * jitter. Ten tries, then the delivery has failed.
 */
export const RETRY_SCHEDULE_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
] as const;

/** The longest a `Retry-After` may push a try back. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** Delivered and failed deliveries (with their tries) are kept this long for the log. */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3_600_000;

export interface DispatcherOptions {
  /** How often the event log and due retries are looked at (other processes' events, retries). */
  pollMs: number;
  /** How long a claimed delivery stays this process's; past it another process may take it over. */
  leaseMs: number;
  /** One try's limit for connecting, sending and the answer. */
  timeoutMs: number;
  /** Deliveries sent together in one round. */
  batchSize: number;
  random: () => number;
  /** Names this process in the claims it takes. */
  processId: string;
}

const DEFAULTS: DispatcherOptions = {
  pollMs: 1000,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  batchSize: 20,
  random: Math.random,
  processId: `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`,
};

/** The wait before the next try once `attempts` tries have failed, or null when none is left. */
export function nextRetryDelay(attempts: number, retryAfter: string | null, now: Date, random: () => number) {
  if (attempts >= RETRY_SCHEDULE_MS.length) return null;
  const asked = retryAfterMs(retryAfter, now);
  if (asked !== null) return Math.min(asked, MAX_RETRY_AFTER_MS);
  return Math.round(RETRY_SCHEDULE_MS[attempts]! * (0.9 + 0.2 * random()));
}

/** `Retry-After` in seconds or as an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

/** The body of one event's webhook (Standard Webhooks' `type`, `timestamp`, `data`). */
export function webhookPayload(event: typeof events.$inferSelect): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.at.toISOString(),
    data: { ...(event.data as Record<string, unknown>), eventId: event.id, leadId: event.leadId },
  });
}

type Delivery = typeof webhookDeliveries.$inferSelect;
type Endpoint = typeof webhookEndpoints.$inferSelect;

/**
 * Sends the workspace's events to its webhook endpoints, from the event log (an outbox: every event
 * is written in its write's transaction, so none is sent for a write that rolled back, and none is
 * lost to a crash). Each round:
 *
 * 1. fans new events out into stored deliveries, per endpoint, moving the endpoint's cursor in the
 *    same transaction only if no other process moved it first (and a unique index on endpoint and
 *    event keeps an event from being queued twice);
 * 2. claims due deliveries with a conditional UPDATE (free or lease expired), so with several API
 *    processes each delivery is sent by the one whose UPDATE took it;
 * 3. sends them, signed afresh, and records each try and what follows (done, the next retry, failed,
 *    or the endpoint disabled on 410), only while the claim is still its own.
 *
 * A delivery is sent once unless a process dies between sending and recording it: then another
 * sends it again, with the same `webhook-id`, once the lease expires.
 */
export class WebhookDispatcher {
  private readonly options: DispatcherOptions;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private round: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Polls, and wakes at once after this process's writes that emitted an event. */
  start() {
    this.stopped = false;
    this.unsubscribe = onEvent(() => this.wake());
    this.schedule(0);
  }

  /** Stops taking work and waits for the round in progress (its sends and their records). */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.round;
  }

  private wake() {
    if (this.stopped) return;
    if (this.round) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), ms);
    this.timer.unref?.();
  }

  private async loop() {
    if (this.stopped || this.round) return;
    this.again = false;
    this.round = this.tick()
      .then((busy) => {
        if (busy) this.again = true;
      })
      .catch((error) => {
        if (!this.stopped) console.error('webhooks: a delivery round failed:', error);
      });
    await this.round;
    this.round = null;
    if (!this.stopped) this.schedule(this.again ? 0 : this.options.pollMs);
  }

  /** One round: fan out, claim, send. True when there may be more to do at once. */
  async tick(): Promise<boolean> {
    const fannedOut = await this.fanOut();
    const claimed = await this.claim();
    if (claimed.length) {
      const endpoints = await this.db
        .select()
        .from(webhookEndpoints)
        .where(
          inArray(
            webhookEndpoints.id,
            claimed.map((delivery) => delivery.endpointId),
          ),
        );
      const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
      await Promise.all(
        claimed.map((delivery) => {
          const endpoint = byId.get(delivery.endpointId);
          return endpoint ? this.attempt(delivery, endpoint) : Promise.resolve();
        }),
      );
    }
    return fannedOut || claimed.length === this.options.batchSize;
  }

  /** Queues new events for each enabled endpoint that subscribes to them. True if a batch was full. */
  private async fanOut(): Promise<boolean> {
    const BATCH = 500;
    let full = false;
    const endpoints = await this.db
      .select({
        id: webhookEndpoints.id,
        workspaceId: webhookEndpoints.workspaceId,
        eventTypes: webhookEndpoints.eventTypes,
        cursor: webhookEndpoints.cursor,
      })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.enabled, true));
    const now = new Date();
    for (const endpoint of endpoints) {
      const batch = await this.db
        .select()
        .from(events)
        .where(and(eq(events.workspaceId, endpoint.workspaceId), gt(events.id, endpoint.cursor)))
        .orderBy(asc(events.id))
        .limit(BATCH);
      const last = batch.at(-1);
      if (!last) continue;
      if (batch.length === BATCH) full = true;
      const wanted = batch.filter((event) => endpoint.eventTypes.includes(event.type));
      await this.db.transaction(async (tx) => {
        const moved = await tx
          .update(webhookEndpoints)
          .set({ cursor: last.id })
          .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.cursor, endpoint.cursor)))
          .returning({ id: webhookEndpoints.id });
        // Another process fanned these out first.
        if (!moved.length || !wanted.length) return;
        await tx
          .insert(webhookDeliveries)
          .values(
            wanted.map((event) => ({
              id: `msg_${newId().replaceAll('-', '')}`,
              workspaceId: endpoint.workspaceId,
              endpointId: endpoint.id,
              eventId: event.id,
              eventType: event.type,
              payload: webhookPayload(event),
              status: 'pending' as const,
              nextAttemptAt: now,
              createdAt: now,
            })),
          )
          .onConflictDoNothing();
      });
    }
    return full;
  }

  /** Takes the due deliveries no other process holds (or whose holder's lease ran out). */
  private async claim(): Promise<Delivery[]> {
    const now = new Date();
    const free = or(isNull(webhookDeliveries.claimedUntil), lt(webhookDeliveries.claimedUntil, now));
    const due = await this.db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          eq(webhookDeliveries.status, 'pending'),
          lte(webhookDeliveries.nextAttemptAt, now),
          eq(webhookEndpoints.enabled, true),
          free,
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(this.options.batchSize);
    if (!due.length) return [];
    return this.db.transaction((tx) =>
      tx
        .update(webhookDeliveries)
        .set({
          claimedBy: this.options.processId,
          claimedUntil: new Date(now.getTime() + this.options.leaseMs),
        })
        .where(
          and(
            inArray(
              webhookDeliveries.id,
              due.map((row) => row.id),
            ),
            eq(webhookDeliveries.status, 'pending'),
            free,
          ),
        )
        .returning(),
    );
  }

  private async attempt(delivery: Delivery, endpoint: Endpoint) {
    const sentAt = new Date();
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > sentAt) {
      secrets.push(endpoint.previousSecret);
    }
    const result = await sendWebhook({
      url: endpoint.url,
      headers: webhookHeaders(secrets, delivery.id, delivery.payload, sentAt),
      body: delivery.payload,
      allowPrivateNetwork: endpoint.allowPrivateNetwork,
      timeoutMs: this.options.timeoutMs,
    });
    await this.record(delivery, endpoint, sentAt, result);
  }

  private async record(delivery: Delivery, endpoint: Endpoint, sentAt: Date, result: SendResult) {
    const at = new Date();
    const attempts = delivery.attempts + 1;
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const gone = result.status === 410;
    const delay = ok || gone ? null : nextRetryDelay(attempts, result.retryAfter, at, this.options.random);
    const status = ok ? 'succeeded' : delay === null ? 'failed' : 'pending';
    await this.db.transaction(async (tx) => {
      const [mine] = await tx
        .update(webhookDeliveries)
        .set({
          status,
          attempts,
          nextAttemptAt: delay === null ? null : new Date(at.getTime() + delay),
          lastResponseStatus: result.status,
          lastError: result.error ?? (ok ? null : `HTTP ${result.status}`),
          completedAt: status === 'pending' ? null : at,
          claimedBy: null,
          claimedUntil: null,
        })
        .where(
          and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.claimedBy, this.options.processId)),
        )
        .returning({ id: webhookDeliveries.id });
      // The lease ran out mid-try and another process holds it now: its record stands.
      if (!mine) return;
      await tx.insert(webhookAttempts).values({
        id: newId(),
        deliveryId: delivery.id,
        at: sentAt,
        responseStatus: result.status,
        responseBody: result.body,
        error: result.error,
        durationMs: result.durationMs,
      });
      if (gone) await disableEndpoint(tx, endpoint.id, 'gone');
    });
  }
}

async function disableEndpoint(tx: Executor, id: string, reason: string) {
  await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason })
    .where(eq(webhookEndpoints.id, id));
}

/** Removes delivered and failed deliveries (and their tries) past the retention. */
export async function pruneWebhookDeliveries(tx: Executor, now = new Date()) {
  await tx
    .delete(webhookDeliveries)
    .where(
      and(
        ne(webhookDeliveries.status, 'pending'),
        lt(webhookDeliveries.completedAt, new Date(now.getTime() - DELIVERY_RETENTION_MS)),
      ),
    );
}
