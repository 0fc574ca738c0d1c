import { z } from 'zod';
import { id, isoDateTime } from './common';

/** The events an endpoint may subscribe to (docs/webhooks.md describes each payload). */
export const WEBHOOK_EVENT_TYPES = [
  'lead.created',
  'lead.updated',
  'lead.stage_changed',
  'lead.assigned',
  'lead.deleted',
  'touchpoint.logged',
  'task.completed',
  'import.finished',
] as const;
export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventType>;

/** An absolute http(s) URL without credentials in it. */
const endpointUrl = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    },
    { message: 'an absolute http:// or https:// URL, with no user name or password in it' },
  );

const eventTypes = z
  .array(webhookEventType)
  .min(1, 'subscribe to at least one event')
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

export const webhookEndpointCreateSchema = z
  .object({
    url: endpointUrl,
    description: z.string().trim().max(200).optional(),
    eventTypes,
    /** Admins only: allow loopback and private addresses (an endpoint inside the team's network). */
    allowPrivateNetwork: z.boolean().default(false),
  })
  .strict()
  .meta({ id: 'WebhookEndpointCreate' });
export type WebhookEndpointCreate = z.infer<typeof webhookEndpointCreateSchema>;

export const webhookEndpointPatchSchema = z
  .object({
    url: endpointUrl.optional(),
    description: z.string().trim().max(200).nullable().optional(),
    eventTypes: eventTypes.optional(),
    allowPrivateNetwork: z.boolean().optional(),
    /** Turn the endpoint back on (after a 410, say) or off. */
    enabled: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'WebhookEndpointPatch' });
export type WebhookEndpointPatch = z.infer<typeof webhookEndpointPatchSchema>;

export const webhookEndpointSchema = z
  .object({
    id,
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(webhookEventType),
    allowPrivateNetwork: z.boolean(),
    enabled: z.boolean(),
    /** Why it is off: `gone` when it answered 410 Gone; null when on or turned off by hand. */
    disabledReason: z.string().nullable(),
    /** Until when deliveries are also signed with the secret before the last rotation. */
    previousSecretValidUntil: isoDateTime.nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** The endpoint with its signing secret: answered once, when made or rotated. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret: z.string().describe('`whsec_` + base64: shown only now') })
  .meta({ id: 'WebhookEndpointWithSecret' });

export const webhookEndpointListSchema = z
  .object({ items: z.array(webhookEndpointSchema) })
  .meta({ id: 'WebhookEndpointList' });

export const webhookAttemptSchema = z
  .object({
    at: isoDateTime,
    responseStatus: z.number().int().nullable(),
    responseBody: z.string().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookDeliverySchema = z
  .object({
    /** The `webhook-id` header, the same on every retry. */
    id: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    nextAttemptAt: isoDateTime.nullable(),
    lastResponseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: isoDateTime,
    completedAt: isoDateTime.nullable(),
    payload: z.unknown(),
    /** Newest first. */
    attemptLog: z.array(webhookAttemptSchema),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryListSchema = z
  .object({ items: z.array(webhookDeliverySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryList' });
