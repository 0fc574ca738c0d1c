import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users, workspaces } from './schema';
import { timestamp } from './schema-columns';

/**
 * Where the workspace's events are sent (Standard Webhooks). `cursor` is the last event id fanned out
 * into deliveries: moved only together with the deliveries it covers, so every event is queued once.
 */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    url: text('url').notNull(),
    description: text('description'),
    /** The event types sent here. */
    eventTypes: text('event_types', { mode: 'json' }).notNull().$type<string[]>(),
    /** `whsec_` + base64: kept to sign with, shown only when made. */
    secret: text('secret').notNull(),
    /** The secret before the last rotation, still signed with until `previousSecretUntil`. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until'),
    /** An admin allowed loopback and private addresses for this endpoint (SSRF guard off). */
    allowPrivateNetwork: integer('allow_private_network', { mode: 'boolean' }).notNull().default(false),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** Why it was turned off (`gone`: it answered 410), null while enabled or turned off by hand. */
    disabledReason: text('disabled_reason'),
    cursor: integer('cursor').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('webhook_endpoints_ws_idx').on(t.workspaceId)],
);

/**
 * One event to send to one endpoint, with its body as sent (the event log is pruned after a day;
 * retries go on for three). Claimed by one process at a time through a lease (`claimedBy`,
 * `claimedUntil`), so two API processes never send the same delivery together.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** The `webhook-id` header: `msg_` + a random id, the same on every retry. */
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: integer('event_id'),
    eventType: text('event_type').notNull(),
    /** The JSON body, byte for byte what is signed and sent. */
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at'),
    claimedBy: text('claimed_by'),
    claimedUntil: timestamp('claimed_until'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at').notNull(),
    completedAt: timestamp('completed_at'),
  },
  (t) => [
    // An event is queued once per endpoint, whoever fans it out.
    uniqueIndex('webhook_deliveries_endpoint_event_idx').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_created_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

/** Every try of a delivery: when, what the endpoint answered (or why nothing arrived), how long. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: timestamp('at').notNull(),
    responseStatus: integer('response_status'),
    /** The first bytes of the answer, or the network error. */
    responseBody: text('response_body'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.at)],
);
