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
    'Upload a CSV (the raw file as the body, or the one file of a multipart/form-data form; up to 100 MB and 500,000 rows) and get its dry run: nothing is written to leads yet',
  description:
    "The file streams in and is never held whole, sent either way. A form's file part gives the import its file name when the query has none; its other fields are ignored. A form with no file part or with two is a 422, a body that is not a well-formed form a 400.",
  request: {
    query: importUploadQuerySchema,
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'application/octet-stream': { schema: z.string() },
        // A plain schema, not zod: a zod one would have the form parsed (and held whole) before
        // the handler, which streams the file part itself (multipart.ts).
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              file: {
                type: 'string',
                contentMediaType: 'text/csv',
                description: "The CSV file; its file name is the import's unless the query names one",
              },
            },
            required: ['file'],
          },
        },
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
    400: problem('The multipart body is not a well-formed form'),
    413: problem('The file is over 100 MB or 500,000 rows'),
    415: problem(
      'The file is not CSV text (a workbook, a PDF, binary data), or the body is multipart but not a form',
    ),
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
