import { createRoute, z } from '@hono/zod-openapi';
import {
  leadAuditSchema,
  leadCreateSchema,
  leadDetailSchema,
  leadListQuerySchema,
  leadListSchema,
  leadMatchQuerySchema,
  leadMatchSchema,
  leadPatchSchema,
  leadSchema,
  leadStage,
  scoreQuerySchema,
  scoreResponseSchema,
  touchpointCreateSchema,
  touchpointListSchema,
  touchpointSchema,
} from '@leadline/shared';
import {
  forbidden,
  jsonBody,
  jsonContent,
  malformed,
  notFound,
  problemResponses,
  tooLarge,
} from '../lib/json-content';

const tags = ['Leads'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });
const idempotencyHeader = z.object({
  'idempotency-key': z.string().max(255).optional().meta({
    description: 'A repeat with the same key returns the first response and changes nothing',
  }),
});

const conflict = {
  409: {
    content: { 'application/problem+json': { schema: z.object({ existingLeadId: z.string() }).loose() } },
    description: 'The person is already a lead (same LinkedIn URL or e-mail); `existingLeadId` names it',
  },
} as const;

export const create = createRoute({
  method: 'post',
  path: '/leads',
  operationId: 'createLead',
  tags,
  security,
  summary:
    'Create a lead; without ownerId, routing places it (`origin=panel`: a side-panel capture, which the capturer may keep)',
  request: {
    body: jsonBody(leadCreateSchema),
    headers: idempotencyHeader,
    query: z.object({ origin: z.enum(['panel', 'api']).default('api') }),
  },
  responses: {
    201: jsonContent(leadSchema, 'The new lead'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
    ...conflict,
  },
});

export const list = createRoute({
  method: 'get',
  path: '/leads',
  operationId: 'listLeads',
  tags,
  security,
  summary: 'List leads (cursor pagination, filters, search)',
  request: { query: leadListQuerySchema },
  responses: { 200: jsonContent(leadListSchema, 'A page of leads'), ...problemResponses, ...forbidden },
});

export const match = createRoute({
  method: 'get',
  path: '/leads/match',
  operationId: 'matchLead',
  tags,
  security,
  summary: 'Find the known lead for a person: LinkedIn URL, then e-mail, then name + company domain',
  request: { query: leadMatchQuerySchema },
  responses: { 200: jsonContent(leadMatchSchema, 'The match, or null'), ...problemResponses, ...forbidden },
});

export const get = createRoute({
  method: 'get',
  path: '/leads/{id}',
  operationId: 'getLead',
  tags,
  security,
  summary: 'Get a lead, with its score at this moment, the breakdown and next steps',
  request: { params: idParams },
  responses: {
    200: jsonContent(leadDetailSchema, 'The lead'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const update = createRoute({
  method: 'patch',
  path: '/leads/{id}',
  operationId: 'updateLead',
  tags,
  security,
  summary: 'Update a lead (null clears a field; a new stage is recorded as a rep change)',
  request: { params: idParams, body: jsonBody(leadPatchSchema), headers: idempotencyHeader },
  responses: {
    200: jsonContent(leadSchema, 'The updated lead'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...malformed,
    ...tooLarge,
    ...conflict,
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/leads/{id}',
  operationId: 'deleteLead',
  tags,
  security,
  summary: 'Forget a lead, its touchpoints and its history',
  request: { params: idParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses, ...forbidden, ...notFound },
});

export const createTouchpoint = createRoute({
  method: 'post',
  path: '/leads/{id}/touchpoints',
  operationId: 'createTouchpoint',
  tags: ['Touchpoints'],
  security,
  summary: 'Log a touchpoint (call, e-mail, meeting...)',
  request: { params: idParams, body: jsonBody(touchpointCreateSchema), headers: idempotencyHeader },
  responses: {
    201: jsonContent(touchpointSchema, 'The touchpoint'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...malformed,
    ...tooLarge,
  },
});

export const listTouchpoints = createRoute({
  method: 'get',
  path: '/leads/{id}/touchpoints',
  operationId: 'listTouchpoints',
  tags: ['Touchpoints'],
  security,
  summary: "A lead's touchpoints, newest first",
  request: { params: idParams },
  responses: {
    200: jsonContent(touchpointListSchema, 'The touchpoints'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const score = createRoute({
  method: 'get',
  path: '/leads/{id}/score',
  operationId: 'getLeadScore',
  tags: ['Scoring'],
  security,
  summary: "A lead's score at any moment (default now): fit, decayed engagement, grade, why, next steps",
  request: { params: idParams, query: scoreQuerySchema },
  responses: {
    200: jsonContent(scoreResponseSchema, 'The score'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const removeTouchpoint = createRoute({
  method: 'delete',
  path: '/leads/{id}/touchpoints/{touchpointId}',
  operationId: 'deleteTouchpoint',
  tags: ['Touchpoints'],
  security,
  summary: 'Take a touchpoint back (Undo): the score is rebuilt without it; a stage it moved stays',
  request: { params: idParams.extend({ touchpointId: z.string().min(1).max(64) }) },
  responses: { 204: { description: 'Removed' }, ...problemResponses, ...forbidden, ...notFound },
});

const stageChangeListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        from: leadStage.nullable(),
        to: leadStage,
        cause: z.enum(['created', 'threshold', 'rep', 'import', 'recycle']),
        userId: z.string().nullable(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: 'StageChangeList' });

export const listStageChanges = createRoute({
  method: 'get',
  path: '/leads/{id}/stage-changes',
  operationId: 'listStageChanges',
  tags: ['Leads'],
  security,
  summary: "A lead's stage history, newest first",
  request: { params: idParams },
  responses: {
    200: jsonContent(stageChangeListSchema, 'The stage changes'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const audit = createRoute({
  method: 'get',
  path: '/leads/{id}/audit',
  operationId: 'getLeadAudit',
  tags: ['Leads'],
  security,
  summary:
    "A lead's audit trail, newest first: every field change and stage move with who and when (the lead's history for export)",
  request: { params: idParams },
  responses: {
    200: jsonContent(leadAuditSchema, 'The changes'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});
