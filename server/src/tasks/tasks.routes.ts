import { createRoute, z } from '@hono/zod-openapi';
import {
  taskCreateSchema,
  taskListQuerySchema,
  taskListSchema,
  taskPatchSchema,
  taskSchema,
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

const tags = ['Tasks'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });
const conflict = {
  409: {
    content: { 'application/problem+json': { schema: z.object({ type: z.string() }).loose() } },
    description: 'The task is already done or skipped',
  },
} as const;

export const list = createRoute({
  method: 'get',
  path: '/tasks',
  operationId: 'listTasks',
  tags,
  security,
  summary: "A rep's queue: overdue, then due, each hottest lead first (or one lead's tasks)",
  request: { query: taskListQuerySchema },
  responses: {
    200: jsonContent(taskListSchema, 'The tasks'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const create = createRoute({
  method: 'post',
  path: '/tasks',
  operationId: 'createTask',
  tags,
  security,
  summary: 'Create a task on a lead, due at a time or some working days ahead',
  request: { body: jsonBody(taskCreateSchema) },
  responses: {
    201: jsonContent(taskSchema, 'The new task'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...malformed,
    ...tooLarge,
  },
});

export const update = createRoute({
  method: 'patch',
  path: '/tasks/{id}',
  operationId: 'updateTask',
  tags,
  security,
  summary: 'Do (logs its touchpoint with the outcome), skip, snooze, reschedule or reassign a task',
  request: { params: idParams, body: jsonBody(taskPatchSchema) },
  responses: {
    200: jsonContent(taskSchema, 'The task'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...malformed,
    ...tooLarge,
    ...conflict,
  },
});
