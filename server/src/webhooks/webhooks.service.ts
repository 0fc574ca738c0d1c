import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointPatch,
  WebhookEventType,
} from '@leadline/shared';
import { and, asc, desc, eq, inArray, isNull, lt, max, or, sql } from 'drizzle-orm';
import { authorize } from '../auth/permissions';
import type { Executor } from '../db/client';
import { newId } from '../db/ids';
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema';
import { decodeCursor, encodeCursor, timeCursorSchema } from '../leads/cursor';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { assertPublicHost, BlockedAddressError } from './address-guard';
import { RETRY_SCHEDULE_MS } from './dispatcher';
import { newWebhookSecret } from './signing';

/** How long deliveries are also signed with the secret before a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

type EndpointRow = typeof webhookEndpoints.$inferSelect;

function toWire(row: EndpointRow, now = new Date()): WebhookEndpoint {
  const overlap = row.previousSecret && row.previousSecretUntil && row.previousSecretUntil > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as WebhookEventType[],
    allowPrivateNetwork: row.allowPrivateNetwork,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    previousSecretValidUntil: overlap ? row.previousSecretUntil!.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}

const urlProblem = (message: string) =>
  new ProblemException('validation', `url: ${message}`, [{ path: ['url'], message, code: 'custom' }]);

/**
 * Refuses (422 naming `url`) an endpoint on a loopback or private address, or one whose name does
 * not resolve, unless private addresses are allowed for it; deliveries check again at connect time.
 */
async function assertReachable(url: string, allowPrivateNetwork: boolean) {
  if (allowPrivateNetwork) return;
  try {
    await assertPublicHost(new URL(url).hostname);
  } catch (error) {
    if (error instanceof BlockedAddressError) throw urlProblem(error.message);
    throw urlProblem(`${new URL(url).hostname} does not resolve to an address`);
  }
}

async function latestEventId(db: Executor, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ id: max(events.id) })
    .from(events)
    .where(eq(events.workspaceId, workspaceId));
  return row?.id ?? 0;
}

export async function findEndpoint(db: Executor, workspaceId: string, id: string): Promise<EndpointRow> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id)));
  if (!row) throw new ProblemException('not-found', `No webhook endpoint ${id} in this workspace`);
  return row;
}

export async function listEndpoints(db: Executor, workspaceId: string) {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, workspaceId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return { items: rows.map((row) => toWire(row)) };
}

export async function getEndpoint(db: Executor, workspaceId: string, id: string) {
  return toWire(await findEndpoint(db, workspaceId, id));
}

/** Makes an endpoint that is sent the events from now on; its secret is answered only here. */
export async function createEndpoint(
  db: Executor,
  principal: Principal,
  input: WebhookEndpointCreate,
  now = new Date(),
) {
  if (input.allowPrivateNetwork) authorize(principal, 'webhooks.allow-private');
  await assertReachable(input.url, input.allowPrivateNetwork);
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      id: newId(),
      workspaceId: principal.workspaceId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.eventTypes,
      secret: newWebhookSecret(),
      allowPrivateNetwork: input.allowPrivateNetwork,
      cursor: await latestEventId(db, principal.workspaceId),
      createdBy: principal.userId,
      createdAt: now,
    })
    .returning();
  return { ...toWire(row!, now), secret: row!.secret };
}

export async function updateEndpoint(
  db: Executor,
  principal: Principal,
  id: string,
  patch: WebhookEndpointPatch,
) {
  const before = await findEndpoint(db, principal.workspaceId, id);
  if (patch.allowPrivateNetwork === true && !before.allowPrivateNetwork) {
    authorize(principal, 'webhooks.allow-private');
  }
  const allowPrivateNetwork = patch.allowPrivateNetwork ?? before.allowPrivateNetwork;
  if (patch.url !== undefined || patch.allowPrivateNetwork === false) {
    await assertReachable(patch.url ?? before.url, allowPrivateNetwork);
  }
  // Turned back on, it is sent the events from now on (not those of the time it was off).
  const reenabled = patch.enabled === true && !before.enabled;
  if (Object.values(patch).every((value) => value === undefined)) return toWire(before);
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      url: patch.url,
      description: patch.description,
      eventTypes: patch.eventTypes,
      allowPrivateNetwork: patch.allowPrivateNetwork,
      enabled: patch.enabled,
      ...(patch.enabled !== undefined ? { disabledReason: null } : {}),
      ...(reenabled ? { cursor: await latestEventId(db, principal.workspaceId) } : {}),
    })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return toWire(row!);
}

export async function deleteEndpoint(db: Executor, workspaceId: string, id: string) {
  await findEndpoint(db, workspaceId, id);
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
}

/** A new secret, answered once; the one before keeps signing too for a day, so receivers can switch. */
export async function rotateSecret(db: Executor, workspaceId: string, id: string, now = new Date()) {
  const before = await findEndpoint(db, workspaceId, id);
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      secret: newWebhookSecret(),
      previousSecret: before.secret,
      previousSecretUntil: new Date(now.getTime() + ROTATION_OVERLAP_MS),
    })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return { ...toWire(row!, now), secret: row!.secret };
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

function parsePayload(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

async function withAttempts(db: Executor, rows: DeliveryRow[]): Promise<WebhookDelivery[]> {
  const attempts = rows.length
    ? await db
        .select()
        .from(webhookAttempts)
        .where(
          inArray(
            webhookAttempts.deliveryId,
            rows.map((row) => row.id),
          ),
        )
        .orderBy(desc(webhookAttempts.at))
    : [];
  return rows.map((row) => ({
    id: row.id,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    lastResponseStatus: row.lastResponseStatus,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    payload: parsePayload(row.payload),
    attemptLog: attempts
      .filter((attempt) => attempt.deliveryId === row.id)
      .map((attempt) => ({
        at: attempt.at.toISOString(),
        responseStatus: attempt.responseStatus,
        responseBody: attempt.responseBody,
        error: attempt.error,
        durationMs: attempt.durationMs,
      })),
  }));
}

/** The endpoint's deliveries, newest first, with every try. */
export async function listDeliveries(
  db: Executor,
  workspaceId: string,
  endpointId: string,
  query: { limit: number; cursor?: string; status?: DeliveryRow['status'] },
) {
  await findEndpoint(db, workspaceId, endpointId);
  const filters = [eq(webhookDeliveries.endpointId, endpointId)];
  if (query.status) filters.push(eq(webhookDeliveries.status, query.status));
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, timeCursorSchema, 'these deliveries');
    const k = cursor.k ?? 0;
    filters.push(
      sql`(${webhookDeliveries.createdAt} < ${k} or (${webhookDeliveries.createdAt} = ${k} and ${webhookDeliveries.id} < ${cursor.id}))`,
    );
  }
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(...filters))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await withAttempts(db, page),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ k: last.createdAt.getTime(), id: last.id }) : null,
  };
}

/**
 * "Send again": the delivery is due at once (a delivered or failed one gets one more try, a
 * pending one skips its wait). Refused while a process is sending it, or while the endpoint is off.
 */
export async function resendDelivery(
  db: Executor,
  workspaceId: string,
  endpointId: string,
  deliveryId: string,
  now = new Date(),
) {
  const endpoint = await findEndpoint(db, workspaceId, endpointId);
  if (!endpoint.enabled) {
    throw new ProblemException('conflict', 'This endpoint is turned off: turn it on to send again');
  }
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.id, deliveryId)));
  if (!row) throw new ProblemException('not-found', `No delivery ${deliveryId} for this endpoint`);
  const [updated] = await db
    .update(webhookDeliveries)
    .set({
      status: 'pending',
      nextAttemptAt: now,
      completedAt: null,
      // Past the schedule, a failure of this try ends it again; within it, the schedule goes on.
      attempts:
        row.status === 'pending' ? row.attempts : Math.max(row.attempts, RETRY_SCHEDULE_MS.length - 1),
    })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        or(isNull(webhookDeliveries.claimedUntil), lt(webhookDeliveries.claimedUntil, now)),
      ),
    )
    .returning();
  if (!updated) throw new ProblemException('conflict', 'This delivery is being sent right now');
  const [wire] = await withAttempts(db, [updated]);
  return wire!;
}
