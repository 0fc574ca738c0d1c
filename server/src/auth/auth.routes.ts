import { createRoute, z } from '@hono/zod-openapi';
import {
  leadVisibilitySchema,
  meSchema,
  tokenCreatedSchema,
  tokenCreateSchema,
  userRole,
} from '@leadline/shared';
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
import { permit } from './permissions';

const security = [{ bearerAuth: [] }];

export const me = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'getMe',
  tags: ['Auth'],
  security,
  summary: 'Who this token belongs to',
  responses: { 200: jsonContent(meSchema, 'The user and workspace'), ...problemResponses },
});

const tokenListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        userId: z.string(),
        userName: z.string(),
        role: userRole,
        label: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'TokenList' });

export const listTokens = createRoute({
  method: 'get',
  path: '/tokens',
  operationId: 'listTokens',
  tags: ['Auth'],
  security,
  middleware: [permit('tokens.manage')] as const,
  summary: "The workspace's tokens (admins)",
  responses: {
    200: jsonContent(tokenListSchema, 'The tokens, without their secrets'),
    ...problemResponses,
    ...forbidden,
  },
});

export const createToken = createRoute({
  method: 'post',
  path: '/tokens',
  operationId: 'createToken',
  tags: ['Auth'],
  security,
  middleware: [permit('tokens.manage')] as const,
  summary: 'Create a token for a user, or for a new user (admins); the token is shown once',
  request: { body: jsonBody(tokenCreateSchema) },
  responses: {
    201: jsonContent(tokenCreatedSchema, 'The new token'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...notFound,
    ...conflict,
  },
});

export const removeToken = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  operationId: 'deleteToken',
  tags: ['Auth'],
  security,
  middleware: [permit('tokens.manage')] as const,
  summary: 'Revoke a token (admins)',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 204: { description: 'Revoked' }, ...problemResponses, ...forbidden, ...notFound },
});

export const listUsers = createRoute({
  method: 'get',
  path: '/users',
  operationId: 'listUsers',
  tags: ['Auth'],
  security,
  summary: "The workspace's people (reps, managers, admins), for owners and filters",
  responses: {
    200: jsonContent(
      z
        .object({
          items: z.array(
            z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), role: userRole }),
          ),
        })
        .meta({ id: 'UserList' }),
      'The users',
    ),
    ...problemResponses,
  },
});

export const getLeadVisibility = createRoute({
  method: 'get',
  path: '/settings/lead-visibility',
  operationId: 'getLeadVisibility',
  tags: ['Settings'],
  security,
  summary: 'Whether reps see only the leads they own (everyone may read it)',
  responses: { 200: jsonContent(leadVisibilitySchema, 'The setting'), ...problemResponses },
});

export const putLeadVisibility = createRoute({
  method: 'put',
  path: '/settings/lead-visibility',
  operationId: 'setLeadVisibility',
  tags: ['Settings'],
  security,
  middleware: [permit('settings.change')] as const,
  summary: "Show reps only their own leads, or the team's (managers and admins)",
  request: { body: jsonBody(leadVisibilitySchema) },
  responses: {
    200: jsonContent(leadVisibilitySchema, 'The setting now in force'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});
