import { createRoute, z } from '@hono/zod-openapi';
import {
  problemSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointCreateSchema,
  webhookEndpointListSchema,
  webhookEndpointPatchSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from '@leadline/shared';
import { permit } from '../auth/permissions';
import {
  forbidden,
  jsonBody,
  jsonContent,
  malformed,
  notFound,
  problemResponses,
  tooLarge,
} from '../lib/json-content';

const tags = ['Webhooks'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });
const deliveryParams = idParams.extend({ deliveryId: z.string().min(1).max(64) });
const conflict = {
  409: {
    content: { 'application/problem+json': { schema: problemSchema } },
    description: 'The delivery is being sent right now, or the endpoint is turned off',
  },
} as const;

export const list = createRoute({
  method: 'get',
  path: '/webhooks',
  operationId: 'listWebhookEndpoints',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: "The workspace's webhook endpoints (managers and admins), without their secrets",
  responses: {
    200: jsonContent(webhookEndpointListSchema, 'The endpoints'),
    ...problemResponses,
    ...forbidden,
  },
});

export const create = createRoute({
  method: 'post',
  path: '/webhooks',
  operationId: 'createWebhookEndpoint',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: 'Add an endpoint to send events to; its signing secret is answered only now',
  request: { body: jsonBody(webhookEndpointCreateSchema) },
  responses: {
    201: jsonContent(webhookEndpointWithSecretSchema, 'The endpoint and its secret'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});

export const get = createRoute({
  method: 'get',
  path: '/webhooks/{id}',
  operationId: 'getWebhookEndpoint',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: 'One webhook endpoint, without its secret',
  request: { params: idParams },
  responses: {
    200: jsonContent(webhookEndpointSchema, 'The endpoint'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const update = createRoute({
  method: 'patch',
  path: '/webhooks/{id}',
  operationId: 'updateWebhookEndpoint',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: 'Change where an endpoint is, what it is sent, or turn it on or off',
  request: { params: idParams, body: jsonBody(webhookEndpointPatchSchema) },
  responses: {
    200: jsonContent(webhookEndpointSchema, 'The endpoint now'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
    ...notFound,
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  operationId: 'deleteWebhookEndpoint',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: 'Remove an endpoint and its delivery log',
  request: { params: idParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses, ...forbidden, ...notFound },
});

export const rotateSecret = createRoute({
  method: 'post',
  path: '/webhooks/{id}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: 'A new signing secret (answered once); the old one also signs for 24 hours',
  request: { params: idParams },
  responses: {
    200: jsonContent(webhookEndpointWithSecretSchema, 'The endpoint and its new secret'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const listDeliveries = createRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: "The endpoint's delivery log, newest first, with every try and its response code",
  request: {
    params: idParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: z.string().max(500).optional(),
      status: z.enum(['pending', 'succeeded', 'failed']).optional(),
    }),
  },
  responses: {
    200: jsonContent(webhookDeliveryListSchema, 'A page of deliveries'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const resendDelivery = createRoute({
  method: 'post',
  path: '/webhooks/{id}/deliveries/{deliveryId}/resend',
  operationId: 'resendWebhookDelivery',
  tags,
  security,
  middleware: [permit('webhooks.manage')] as const,
  summary: 'Send a delivery again now, with the same webhook-id, freshly signed',
  request: { params: deliveryParams },
  responses: {
    202: jsonContent(webhookDeliverySchema, 'The delivery, due now'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...conflict,
  },
});
