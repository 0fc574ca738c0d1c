import { createRoute, z } from '@hono/zod-openapi';
import {
  deactivatedSchema,
  deactivateSchema,
  invitedSchema,
  inviteSchema,
  personListSchema,
  personPatchSchema,
  personSchema,
  teamInputSchema,
  teamListSchema,
  teamSchema,
} from '@leadline/shared/team';
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

const tags = ['Team'];
const security = [{ bearerAuth: [] }];
const idParam = z.object({ id: z.string().min(1).max(64) });

export const listPeople = createRoute({
  method: 'get',
  path: '/team/people',
  operationId: 'listPeople',
  tags,
  security,
  middleware: [permit('team.read')] as const,
  summary:
    'The people of the workspace with their tokens, availability, open leads and teams (managers, admins)',
  responses: { 200: jsonContent(personListSchema, 'The people'), ...problemResponses, ...forbidden },
});

export const invite = createRoute({
  method: 'post',
  path: '/team/people',
  operationId: 'invitePerson',
  tags,
  security,
  middleware: [permit('people.manage')] as const,
  summary: 'Invite a person: creates them with a first token, shown once (admins)',
  request: { body: jsonBody(inviteSchema) },
  responses: {
    201: jsonContent(invitedSchema, 'The person and their token'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...tooLarge,
  },
});

export const updatePerson = createRoute({
  method: 'patch',
  path: '/team/people/{id}',
  operationId: 'updatePerson',
  tags,
  security,
  summary:
    "Change a person's name or role (admins; the last admin keeps the role) or availability (managers, admins, the person themselves)",
  request: { params: idParam, body: jsonBody(personPatchSchema) },
  responses: {
    200: jsonContent(personSchema, 'The person now'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...notFound,
    ...conflict,
    ...tooLarge,
  },
});

export const deactivate = createRoute({
  method: 'post',
  path: '/team/people/{id}/deactivate',
  operationId: 'deactivatePerson',
  tags,
  security,
  middleware: [permit('people.manage')] as const,
  summary: 'Deactivate a person: tokens revoked, open leads to a colleague or the unassigned queue (admins)',
  request: { params: idParam, body: jsonBody(deactivateSchema) },
  responses: {
    200: jsonContent(deactivatedSchema, 'The person, how many leads moved and tokens were revoked'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...notFound,
    ...conflict,
    ...tooLarge,
  },
});

export const listTeams = createRoute({
  method: 'get',
  path: '/teams',
  operationId: 'listTeams',
  tags,
  security,
  middleware: [permit('team.read')] as const,
  summary: 'The teams, each with its members’ weights and caps (managers, admins)',
  responses: { 200: jsonContent(teamListSchema, 'The teams'), ...problemResponses, ...forbidden },
});

export const createTeam = createRoute({
  method: 'post',
  path: '/teams',
  operationId: 'createTeam',
  tags,
  security,
  middleware: [permit('teams.manage')] as const,
  summary: 'Create a team (managers, admins)',
  request: { body: jsonBody(teamInputSchema) },
  responses: {
    201: jsonContent(teamSchema, 'The team'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...conflict,
    ...tooLarge,
  },
});

export const replaceTeam = createRoute({
  method: 'put',
  path: '/teams/{id}',
  operationId: 'replaceTeam',
  tags,
  security,
  middleware: [permit('teams.manage')] as const,
  summary: "Replace a team's name, manager and members (managers, admins)",
  request: { params: idParam, body: jsonBody(teamInputSchema) },
  responses: {
    200: jsonContent(teamSchema, 'The team now'),
    ...problemResponses,
    ...forbidden,
    ...malformed,
    ...notFound,
    ...conflict,
    ...tooLarge,
  },
});

export const deleteTeam = createRoute({
  method: 'delete',
  path: '/teams/{id}',
  operationId: 'deleteTeam',
  tags,
  security,
  middleware: [permit('teams.manage')] as const,
  summary: 'Delete a team (managers, admins)',
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses, ...forbidden, ...notFound },
});
