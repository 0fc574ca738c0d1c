import { createRoute, z } from '@hono/zod-openapi';
import {
  cadenceAnalyticsQuerySchema,
  cadenceAnalyticsSchema,
  cadenceInputSchema,
  cadenceSchema,
  enrolmentPatchSchema,
  enrolmentSchema,
  enrolSchema,
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

const tags = ['Cadences'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });
const conflict = {
  409: {
    content: { 'application/problem+json': { schema: z.object({ type: z.string() }).loose() } },
    description: 'Not possible in its present state (archived cadence, enrolment already ended)',
  },
} as const;
const writeErrors = { ...problemResponses, ...forbidden, ...malformed, ...tooLarge } as const;

export const list = createRoute({
  method: 'get',
  path: '/cadences',
  operationId: 'listCadences',
  tags,
  security,
  summary: "The workspace's cadences, with how many leads run in each",
  responses: {
    200: jsonContent(z.object({ items: z.array(cadenceSchema) }), 'The cadences'),
    ...problemResponses,
  },
});

export const create = createRoute({
  method: 'post',
  path: '/cadences',
  operationId: 'createCadence',
  tags,
  security,
  middleware: [permit('cadence.edit')] as const,
  summary: 'Create a cadence (managers and admins)',
  request: { body: jsonBody(cadenceInputSchema) },
  responses: { 201: jsonContent(cadenceSchema, 'The new cadence'), ...writeErrors },
});

export const update = createRoute({
  method: 'put',
  path: '/cadences/{id}',
  operationId: 'updateCadence',
  tags,
  security,
  middleware: [permit('cadence.edit')] as const,
  summary: "Replace a cadence's steps, stops and rule (managers and admins)",
  request: { params: idParams, body: jsonBody(cadenceInputSchema) },
  responses: { 200: jsonContent(cadenceSchema, 'The cadence'), ...writeErrors, ...notFound, ...conflict },
});

export const archive = createRoute({
  method: 'delete',
  path: '/cadences/{id}',
  operationId: 'archiveCadence',
  tags,
  security,
  middleware: [permit('cadence.edit')] as const,
  summary: 'Archive a cadence: its running enrolments end (managers and admins)',
  request: { params: idParams },
  responses: { 204: { description: 'Archived' }, ...problemResponses, ...forbidden, ...notFound },
});

export const enrol = createRoute({
  method: 'post',
  path: '/enrolments',
  operationId: 'enrolLeads',
  tags,
  security,
  summary: 'Enrol one lead or several in a cadence',
  request: { body: jsonBody(enrolSchema) },
  responses: {
    201: jsonContent(
      z.object({
        enrolled: z.array(z.string()),
        skipped: z.array(z.object({ leadId: z.string(), reason: z.string() })),
      }),
      'The enrolments made, and the leads already running in the cadence',
    ),
    ...writeErrors,
    ...notFound,
    ...conflict,
  },
});

export const change = createRoute({
  method: 'patch',
  path: '/enrolments/{id}',
  operationId: 'changeEnrolment',
  tags,
  security,
  summary: 'Pause, resume or remove an enrolment',
  request: { params: idParams, body: jsonBody(enrolmentPatchSchema) },
  responses: { 200: jsonContent(enrolmentSchema, 'The enrolment'), ...writeErrors, ...notFound, ...conflict },
});

export const forLead = createRoute({
  method: 'get',
  path: '/leads/{id}/enrolments',
  operationId: 'listLeadEnrolments',
  tags,
  security,
  summary: "A lead's enrolments with their history (steps, pauses and their causes)",
  request: { params: idParams },
  responses: {
    200: jsonContent(z.object({ items: z.array(enrolmentSchema) }), 'The enrolments, newest first'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const recycle = createRoute({
  method: 'post',
  path: '/leads/{id}/recycle',
  operationId: 'recycleLead',
  tags,
  security,
  summary: 'Recycle a cold SQL to nurture: stage change (cause recycle) and enrolment in a nurture cadence',
  request: { params: idParams, body: jsonBody(z.object({ cadenceId: z.string().min(1).max(64) }).strict()) },
  responses: {
    201: jsonContent(
      z.object({
        enrolled: z.array(z.string()),
        skipped: z.array(z.object({ leadId: z.string(), reason: z.string() })),
      }),
      'The enrolment made',
    ),
    ...writeErrors,
    ...notFound,
    ...conflict,
  },
});

export const analytics = createRoute({
  method: 'get',
  path: '/analytics/cadences',
  operationId: 'getCadenceAnalytics',
  tags: ['Analytics'],
  security,
  summary:
    'Per cadence: enrolled, running, finished, stopped by reply or meeting, rates per step; task completion per rep',
  request: { query: cadenceAnalyticsQuerySchema },
  responses: { 200: jsonContent(cadenceAnalyticsSchema, 'The figures'), ...problemResponses },
});
