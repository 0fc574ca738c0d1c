import { createRoute, z } from '@hono/zod-openapi';
import { leadDetailSchema, leadExportQuerySchema } from '@leadline/shared';
import { forbidden, jsonContent, notFound, problemResponses } from '../lib/json-content';

const tags = ['Exports'];
const security = [{ bearerAuth: [] }];
const idParams = z.object({ id: z.string().min(1).max(64) });

export const leadsCsv = createRoute({
  method: 'get',
  path: '/exports/leads.csv',
  operationId: 'exportLeadsCsv',
  tags,
  security,
  summary:
    'The leads of a filtered list as CSV, the columns chosen, each with its live score at the moment of export (streamed)',
  request: { query: leadExportQuerySchema },
  responses: {
    200: {
      description: 'UTF-8 CSV (with a BOM) with a header row, CRLF line ends, in lead id order',
      content: { 'text/csv': { schema: z.string() } },
    },
    ...problemResponses,
  },
});

export const leadsVcf = createRoute({
  method: 'get',
  path: '/exports/leads.vcf',
  operationId: 'exportLeadsVcard',
  tags,
  security,
  summary: 'The leads of a filtered list as vCards 4.0, one after another (streamed)',
  request: { query: leadExportQuerySchema.omit({ columns: true }) },
  responses: {
    200: { description: 'vCard 4.0 (RFC 6350)', content: { 'text/vcard': { schema: z.string() } } },
    ...problemResponses,
  },
});

export const leadVcard = createRoute({
  method: 'get',
  path: '/leads/{id}/vcard',
  operationId: 'getLeadVcard',
  tags,
  security,
  summary: 'One lead as a vCard 4.0, for an address book',
  request: { params: idParams },
  responses: {
    200: { description: 'vCard 4.0 (RFC 6350)', content: { 'text/vcard': { schema: z.string() } } },
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});

const personExportSchema = z
  .object({
    exportedAt: z.string(),
    lead: leadDetailSchema,
    touchpoints: z.array(z.unknown()),
    stageChanges: z.array(z.unknown()),
    audit: z.array(z.unknown()),
    assignments: z.array(z.unknown()),
    tasks: z.array(z.unknown()),
    enrolments: z.array(z.unknown()),
  })
  .catchall(z.array(z.unknown()))
  .meta({ id: 'PersonExport' });

export const personExport = createRoute({
  method: 'get',
  path: '/leads/{id}/export',
  operationId: 'exportLead',
  tags,
  security,
  summary:
    'Everything stored about the person (a GDPR access request): the lead and a section per kind of record',
  request: { params: idParams },
  responses: {
    200: jsonContent(
      personExportSchema,
      'The lead, its touchpoints, stage changes, audit trail, assignments, tasks and enrolments',
    ),
    ...problemResponses,
    ...forbidden,
    ...notFound,
  },
});
