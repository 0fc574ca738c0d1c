import { createRoute, z } from '@hono/zod-openapi';
import { leadCreateSchema, leadSchema } from '@leadline/shared';
import {
  assignmentSchema,
  routingAnalyticsQuerySchema,
  routingAnalyticsSchema,
  routingDocumentSchema,
  routingSchema,
  routingTraceSchema,
} from '@leadline/shared/routing';
import { permit } from '../auth/permissions';
import {
  conflict,
  forbidden,
  jsonBody,
  jsonContent,
  malformed,
  notFound,
  problemResponses,
  tooLarge,
} from '../lib/json-content';

const tags = ['Routing'];
const security = [{ bearerAuth: [] }];
const idParam = z.object({ id: z.string().min(1).max(64) });

export const get = createRoute({
  method: 'get',
  path: '/routing',
  operationId: 'getRouting',
  tags,
  security,
  middleware: [permit('team.read')] as const,
  summary: 'The routing rules in force, with their version (managers, admins)',
  responses: { 200: jsonContent(routingSchema, 'The routing'), ...problemResponses, ...forbidden },
});

export const put = createRoute({
  method: 'put',
  path: '/routing',
  operationId: 'setRouting',
  tags,
  security,
  middleware: [permit('routing.change')] as const,
  summary: 'Save a new version of the routing rules (managers, admins); 422 names each bad part',
  request: { body: jsonBody(routingDocumentSchema) },
  responses: {
    200: jsonContent(routingSchema, 'The routing now in force'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});

export const previewSchema = z
  .strictObject({
    /** The lead's fields (as for creating one), or the id of a stored lead. */
    lead: leadCreateSchema.optional(),
    leadId: z.string().min(1).max(64).optional(),
    /** A draft rule set to try instead of the one in force. */
    document: routingDocumentSchema.optional(),
    origin: z.enum(['panel', 'api', 'form', 'import']).default('api'),
  })
  .refine((p) => !!p.lead !== !!p.leadId, { message: 'Give lead or leadId (one of them)', path: ['lead'] })
  .meta({ id: 'RoutingPreviewRequest' });

export const preview = createRoute({
  method: 'post',
  path: '/routing/preview',
  operationId: 'previewRouting',
  tags,
  security,
  middleware: [permit('team.read')] as const,
  summary: 'Dry run: who would get this lead and why, changing nothing (managers, admins)',
  request: { body: jsonBody(previewSchema) },
  responses: {
    200: jsonContent(
      z
        .object({ trace: routingTraceSchema.nullable(), ownerName: z.string().nullable() })
        .meta({ id: 'RoutingPreview' }),
      'The decision (null trace: no routing in force, the creator keeps it)',
    ),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...notFound,
    ...tooLarge,
  },
});

export const assignments = createRoute({
  method: 'get',
  path: '/leads/{id}/assignments',
  operationId: 'listLeadAssignments',
  tags,
  security,
  summary: "A lead's assignments, newest first, each with its routing trace",
  request: { params: idParam },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(assignmentSchema) }).meta({ id: 'AssignmentList' }),
      'The history',
    ),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const routeAgain = createRoute({
  method: 'post',
  path: '/leads/{id}/route',
  operationId: 'routeLeadAgain',
  tags,
  security,
  summary: '"Route again": place the lead by the rules in force now (recorded)',
  request: { params: idParam },
  responses: {
    200: jsonContent(
      z.object({ lead: leadSchema, assignment: assignmentSchema }).meta({ id: 'RoutedLead' }),
      'The lead and its new assignment',
    ),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...conflict,
  },
});

export const analytics = createRoute({
  method: 'get',
  path: '/analytics/routing',
  operationId: 'getRoutingAnalytics',
  tags: ['Analytics'],
  security,
  middleware: [permit('team.read')] as const,
  summary:
    'Per rep: leads assigned against their weighted share, SLA breaches, median minutes to the first touch (managers, admins)',
  description:
    "Over the assignments made in the range (UTC days, `to` inclusive). The share is by the teams' current weights; minutes are wall-clock, from the assignment to the first outbound touch before the lead's next assignment.",
  request: { query: routingAnalyticsQuerySchema },
  responses: { 200: jsonContent(routingAnalyticsSchema, 'The figures'), ...problemResponses, ...forbidden },
});
