import { createRoute } from '@hono/zod-openapi';
import {
  analyticsLeadListSchema,
  analyticsLeadsQuerySchema,
  analyticsQuerySchema,
  attributionQuerySchema,
  attributionSchema,
  funnelSchema,
  outcomesSchema,
  repActivitySchema,
  sourceCostListSchema,
  sourceCostQuerySchema,
  sourceCostsPutSchema,
  sourcesSchema,
  speedToLeadSchema,
  stageProbabilitiesSchema,
  velocitySchema,
} from '@leadline/shared';
import { permit } from '../auth/permissions';
import { forbidden, jsonBody, jsonContent, malformed, problemResponses, tooLarge } from '../lib/json-content';

const tags = ['Analytics'];
const security = [{ bearerAuth: [] }];
const managers = permit('settings.change');

// `P` keeps each path a literal type, so the typed client (`hc<AppType>`) knows every route.
const read = <P extends string, T extends Parameters<typeof jsonContent>[0]>(
  operationId: string,
  path: P,
  summary: string,
  description: string,
  schema: T,
) =>
  createRoute({
    method: 'get',
    path,
    operationId,
    tags,
    security,
    summary,
    description,
    request: { query: analyticsQuerySchema },
    responses: { 200: jsonContent(schema, summary), ...problemResponses },
  });

export const funnel = read(
  'getFunnel',
  '/analytics/funnel',
  'Funnel: leads reaching each stage, conversion and median time in stage, by creation-month cohort',
  'Over the leads created in the range. A lead reached a stage if its history or current stage took it there or further.',
  funnelSchema,
);

export const velocity = read(
  'getVelocity',
  '/analytics/velocity',
  'Lead velocity rate: month-over-month growth of newly qualified (MQL or later) leads',
  'A lead counts in the month it first reached MQL or a later stage; the range filters that month.',
  velocitySchema,
);

export const speedToLead = read(
  'getSpeedToLead',
  '/analytics/speed-to-lead',
  'Speed to lead: time from creation to the first outbound touch',
  'Over the leads created in the range: median, 90th percentile, shares within 5 min, 1 h and 24 h, and a histogram.',
  speedToLeadSchema,
);

export const outcomes = read(
  'getOutcomes',
  '/analytics/outcomes',
  'Sales cycle, win rate and pipeline (open and weighted by stage probability)',
  'Sales cycle and win rate over leads closed (won or lost) in the range; the pipeline is the open leads now.',
  outcomesSchema,
);

export const sources = read(
  'getSources',
  '/analytics/sources',
  'Sources: leads, MQLs, SQLs, won deals and value per channel and UTM campaign, with cost and ROI',
  'Over the leads created in the range; costs are those entered for the months of the range.',
  sourcesSchema,
);

export const repActivity = read(
  'getRepActivity',
  '/analytics/rep-activity',
  'Rep activity: touchpoints by rep, type and ISO week',
  'Touchpoints that happened in the range; `owner` filters on the rep who logged them.',
  repActivitySchema,
);

export const attribution = createRoute({
  method: 'get',
  path: '/analytics/attribution',
  operationId: 'getAttribution',
  tags,
  security,
  summary: 'Attribution of won value to channels and campaigns through touchpoints',
  description:
    "Deals won in the range; `model` is first_touch, last_touch, linear, u_shaped, w_shaped or time_decay. Each deal's credits sum to its value in cents exactly.",
  request: { query: attributionQuerySchema },
  responses: { 200: jsonContent(attributionSchema, 'Credits by channel and campaign'), ...problemResponses },
});

export const leadsBehind = createRoute({
  method: 'get',
  path: '/analytics/leads',
  operationId: 'listFigureLeads',
  tags,
  security,
  summary: 'The leads behind a dashboard figure, by the same definition as the figure',
  description:
    '`figure` names the figure (funnel, velocity, speed, sources, won, lost, pipeline, activity); `stage`, `month`, `bucket`, `measure`, `utmSource`, `utmCampaign` and `type` pick its bar or row. `total` is the count the figure shows. Newest first, `limit` a page, `nextCursor` the next.',
  request: { query: analyticsLeadsQuerySchema },
  responses: { 200: jsonContent(analyticsLeadListSchema, 'The leads, a page'), ...problemResponses },
});

export const getStageProbabilities = createRoute({
  method: 'get',
  path: '/settings/stage-probabilities',
  operationId: 'getStageProbabilities',
  tags: ['Settings'],
  security,
  summary: 'Win probability per open stage, for the weighted pipeline',
  responses: { 200: jsonContent(stageProbabilitiesSchema, 'The probabilities'), ...problemResponses },
});

export const putStageProbabilities = createRoute({
  method: 'put',
  path: '/settings/stage-probabilities',
  operationId: 'updateStageProbabilities',
  tags: ['Settings'],
  security,
  middleware: [managers] as const,
  summary: 'Set the win probability of each open stage (managers and admins)',
  request: { body: jsonBody(stageProbabilitiesSchema) },
  responses: {
    200: jsonContent(stageProbabilitiesSchema, 'The probabilities now in force'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});

export const listSourceCosts = createRoute({
  method: 'get',
  path: '/source-costs',
  operationId: 'listSourceCosts',
  tags: ['Settings'],
  security,
  summary: 'What each source cost per month',
  request: { query: sourceCostQuerySchema },
  responses: {
    200: jsonContent(sourceCostListSchema, 'The costs, by month and source'),
    ...problemResponses,
  },
});

export const putSourceCosts = createRoute({
  method: 'put',
  path: '/source-costs',
  operationId: 'updateSourceCosts',
  tags: ['Settings'],
  security,
  middleware: [managers] as const,
  summary:
    'Enter costs per month and source: each row replaces the one with the same month and source (managers and admins)',
  request: { body: jsonBody(sourceCostsPutSchema) },
  responses: {
    200: jsonContent(sourceCostListSchema, "The months' costs after the update"),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});
