import { createRoute } from '@hono/zod-openapi';
import { workspaceSettingsSchema } from '@leadline/shared';
import { permit } from '../auth/permissions';
import { forbidden, jsonBody, jsonContent, malformed, problemResponses, tooLarge } from '../lib/json-content';

const tags = ['Settings'];
const security = [{ bearerAuth: [] }];

export const get = createRoute({
  method: 'get',
  path: '/settings/workspace',
  operationId: 'getWorkspaceSettings',
  tags,
  security,
  summary: "The workspace's currency (every money figure) and the reasons a deal is won or lost",
  responses: { 200: jsonContent(workspaceSettingsSchema, 'The settings'), ...problemResponses },
});

export const update = createRoute({
  method: 'put',
  path: '/settings/workspace',
  operationId: 'setWorkspaceSettings',
  tags,
  security,
  middleware: [permit('settings.change')] as const,
  summary: "Set the workspace's currency and close reasons (managers and admins)",
  request: { body: jsonBody(workspaceSettingsSchema) },
  responses: {
    200: jsonContent(workspaceSettingsSchema, 'The settings now in force'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});
