import type { AppRouteHandler } from '../lib/types';
import type * as routes from './team.routes';
import {
  deactivatePerson,
  invitePerson,
  listPeople as listPeopleRows,
  updatePerson as updatePersonRow,
} from './team.service';
import {
  createTeam as createTeamRow,
  deleteTeam as deleteTeamRow,
  listTeams as listTeamRows,
  replaceTeam as replaceTeamRow,
} from './teams.service';

export const listPeople: AppRouteHandler<typeof routes.listPeople> = async (c) =>
  c.json({ items: await listPeopleRows(c.var.db, c.var.principal.workspaceId) }, 200);

export const invite: AppRouteHandler<typeof routes.invite> = async (c) => {
  const input = c.req.valid('json');
  const invited = await c.var.db.transaction((tx) =>
    invitePerson(tx, c.var.principal.workspaceId, input, new Date()),
  );
  return c.json(invited, 201);
};

export const updatePerson: AppRouteHandler<typeof routes.updatePerson> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const person = await c.var.db.transaction((tx) => updatePersonRow(tx, c.var.principal, id, patch));
  return c.json(person, 200);
};

export const deactivate: AppRouteHandler<typeof routes.deactivate> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const result = await c.var.db.transaction((tx) =>
    deactivatePerson(tx, c.var.principal, id, input, new Date()),
  );
  return c.json(result, 200);
};

export const listTeams: AppRouteHandler<typeof routes.listTeams> = async (c) =>
  c.json({ items: await listTeamRows(c.var.db, c.var.principal.workspaceId) }, 200);

export const createTeam: AppRouteHandler<typeof routes.createTeam> = async (c) => {
  const input = c.req.valid('json');
  const team = await c.var.db.transaction((tx) =>
    createTeamRow(tx, c.var.principal.workspaceId, input, new Date()),
  );
  return c.json(team, 201);
};

export const replaceTeam: AppRouteHandler<typeof routes.replaceTeam> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const team = await c.var.db.transaction((tx) => replaceTeamRow(tx, c.var.principal.workspaceId, id, input));
  return c.json(team, 200);
};

export const deleteTeam: AppRouteHandler<typeof routes.deleteTeam> = async (c) => {
  const { id } = c.req.valid('param');
  await c.var.db.transaction((tx) => deleteTeamRow(tx, c.var.principal.workspaceId, id));
  return c.body(null, 204);
};
