import { createRoute, z } from '@hono/zod-openapi';
import { scoringModelSchema } from '@leadline/shared';
import { permit } from '../auth/permissions';
import {
  conflict,
  forbidden,
  jsonBody,
  jsonContent,
  malformed,
  problemResponses,
  tooLarge,
} from '../lib/json-content';

const security = [{ bearerAuth: [] }];

const modelVersionSchema = z
  .object({
    version: z.number().int(),
    model: scoringModelSchema,
    createdAt: z.string(),
  })
  .meta({ id: 'ScoringModelVersion' });

export const get = createRoute({
  method: 'get',
  path: '/scoring-model',
  operationId: 'getScoringModel',
  tags: ['Scoring'],
  security,
  summary: 'The scoring model in force (SCORING.md)',
  responses: {
    200: jsonContent(
      modelVersionSchema.extend({
        rescoring: z
          .object({
            version: z.number().int().describe('The version being applied'),
            done: z.number().int().describe('Leads rescored so far'),
            total: z.number().int(),
          })
          .nullable()
          .describe('A model change in progress: the model above stays in force until it is done'),
      }),
      'The model and its version',
    ),
    ...problemResponses,
  },
});

export const update = createRoute({
  method: 'put',
  path: '/scoring-model',
  operationId: 'updateScoringModel',
  tags: ['Scoring'],
  security,
  middleware: [permit('scoring.change')] as const,
  summary:
    'Replace the model: rescores every lead in slices while the API keeps serving, then switches to the new version at once (managers, admins)',
  request: { body: jsonBody(scoringModelSchema) },
  responses: {
    200: jsonContent(
      modelVersionSchema.extend({
        rescored: z.number().int(),
        changed: z.number().int(),
        stageChanges: z.number().int(),
        durationMs: z.number(),
      }),
      'The new version and what the rescore did',
    ),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
    ...conflict,
  },
});
