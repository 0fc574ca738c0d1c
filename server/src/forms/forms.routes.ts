import { createRoute, z } from '@hono/zod-openapi';
import { formCreateSchema, formListSchema, formPatchSchema, formSchema } from '@leadline/shared';
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

const tags = ['Forms'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });

export const list = createRoute({
  method: 'get',
  path: '/forms',
  operationId: 'listForms',
  tags,
  security,
  middleware: [permit('forms.manage')] as const,
  summary: "The workspace's website forms (managers and admins), each with its snippet",
  responses: {
    200: jsonContent(formListSchema, 'The forms'),
    ...problemResponses,
    ...forbidden,
  },
});

export const create = createRoute({
  method: 'post',
  path: '/forms',
  operationId: 'createForm',
  tags,
  security,
  middleware: [permit('forms.manage')] as const,
  summary: 'Make a form endpoint for a website; the answer carries the snippet to paste',
  request: { body: jsonBody(formCreateSchema) },
  responses: {
    201: jsonContent(formSchema, 'The form and its snippet'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});

export const get = createRoute({
  method: 'get',
  path: '/forms/{id}',
  operationId: 'getForm',
  tags,
  security,
  middleware: [permit('forms.manage')] as const,
  summary: 'One form, its snippet, how many submissions it had and when the last came',
  request: { params: idParams },
  responses: {
    200: jsonContent(formSchema, 'The form'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const update = createRoute({
  method: 'patch',
  path: '/forms/{id}',
  operationId: 'updateForm',
  tags,
  security,
  middleware: [permit('forms.manage')] as const,
  summary: 'Rename a form, change its allowed origins, thank-you page or campaign, or turn it off',
  request: { params: idParams, body: jsonBody(formPatchSchema) },
  responses: {
    200: jsonContent(formSchema, 'The form now'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
    ...notFound,
  },
});

export const remove = createRoute({
  method: 'delete',
  path: '/forms/{id}',
  operationId: 'deleteForm',
  tags,
  security,
  middleware: [permit('forms.manage')] as const,
  summary: 'Remove a form: its snippet stops taking submissions; its leads stay',
  request: { params: idParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses, ...forbidden, ...notFound },
});
