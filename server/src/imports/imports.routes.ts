import { createRoute, z } from '@hono/zod-openapi';
import {
  importListSchema,
  importSchema,
  importUpdateSchema,
  importUploadQuerySchema,
  problemSchema,
} from '@leadline/shared';
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

const tags = ['Imports'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });
const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: problemSchema } },
  description,
});

export const upload = createRoute({
  method: 'post',
  path: '/imports',
  operationId: 'uploadImport',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary:
    'Upload a CSV (the raw file as the body, up to 100 MB and 500,000 rows) and get its dry run: nothing is written to leads yet',
  request: {
    query: importUploadQuerySchema,
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'application/octet-stream': { schema: z.string() },
      },
      required: true,
    },
  },
  responses: {
    201: jsonContent(
      importSchema,
      'The staged import: detected encoding and delimiter, headers, mapping, dry run',
    ),
    ...problemResponses,
    ...forbidden,
    413: problem('The file is over 100 MB or 500,000 rows'),
    415: problem('The file is not CSV text (a workbook, a PDF, binary data)'),
  },
});

export const list = createRoute({
  method: 'get',
  path: '/imports',
  operationId: 'listImports',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary: "The workspace's last 50 imports, newest first, with their progress",
  responses: { 200: jsonContent(importListSchema, 'The imports'), ...problemResponses, ...forbidden },
});

export const get = createRoute({
  method: 'get',
  path: '/imports/{id}',
  operationId: 'getImport',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary: 'One import: its dry run and, once started, its progress (rows done, rate, time left)',
  request: { params: idParams },
  responses: { 200: jsonContent(importSchema, 'The import'), ...problemResponses, ...forbidden, ...notFound },
});

export const update = createRoute({
  method: 'put',
  path: '/imports/{id}',
  operationId: 'updateImport',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary: 'Change the mapping, the match policy or the campaign of a staged import; answers the new dry run',
  request: { params: idParams, body: jsonBody(importUpdateSchema) },
  responses: {
    200: jsonContent(importSchema, 'The import with its new dry run'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...conflict,
    ...malformed,
    ...tooLarge,
  },
});

export const start = createRoute({
  method: 'post',
  path: '/imports/{id}/start',
  operationId: 'startImport',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary: 'Run the import in the background (poll GET for progress); its mapping is saved for these headers',
  request: { params: idParams },
  responses: {
    202: jsonContent(importSchema, 'The import, running'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...conflict,
  },
});

export const errors = createRoute({
  method: 'get',
  path: '/imports/{id}/errors.csv',
  operationId: 'getImportErrors',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary: "The refused rows as CSV: the file's columns, then Row, Line and Error (the reason)",
  request: { params: idParams },
  responses: {
    200: { description: 'UTF-8 CSV with a BOM', content: { 'text/csv': { schema: z.string() } } },
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

export const undo = createRoute({
  method: 'post',
  path: '/imports/{id}/undo',
  operationId: 'undoImport',
  tags,
  security,
  middleware: [permit('leads.import')] as const,
  summary:
    'Undo a finished import as a whole: its created leads removed, its updates reverted (in the background); 409 once one of its leads was touched',
  request: { params: idParams },
  responses: {
    202: jsonContent(importSchema, 'The import, being undone'),
    ...problemResponses,
    ...forbidden,
    ...notFound,
    ...conflict,
  },
});
