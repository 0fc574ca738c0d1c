import { createRoute, z } from '@hono/zod-openapi';
import { permit } from '../auth/permissions';
import { forbidden, jsonContent, problemResponses } from '../lib/json-content';

export const eventLoopSchema = z
  .object({
    windowMs: z.number().int().describe('Since the previous reading (or the start), in ms'),
    samples: z.number().int(),
    p50Ms: z.number(),
    p99Ms: z.number(),
    maxMs: z.number(),
  })
  .openapi('EventLoopDelay');

export const metricsSchema = z.object({ eventLoop: eventLoopSchema }).openapi('Metrics');

export const get = createRoute({
  method: 'get',
  path: '/metrics',
  operationId: 'getMetrics',
  tags: ['Operations'],
  security: [{ bearerAuth: [] }],
  middleware: [permit('metrics.read')] as const,
  summary:
    "This API process's event-loop delay since the previous reading (admins): how long a request waited for the thread",
  responses: { 200: jsonContent(metricsSchema, 'The figures'), ...problemResponses, ...forbidden },
});
