import { findLeadFor } from '../leads/leads.service';
import type { AppRouteHandler } from '../lib/types';
import { cadenceAnalytics } from './cadence-analytics';
import type * as routes from './cadences.routes';
import {
  archiveCadence,
  changeEnrolment,
  createCadence,
  enrolLeads,
  leadEnrolments,
  listCadences,
  recycleLead,
  updateCadence,
} from './cadences.service';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ items: await listCadences(c.var.db, c.var.principal.workspaceId) }, 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const input = c.req.valid('json');
  return c.json(await c.var.db.transaction((tx) => createCadence(tx, c.var.principal, input)), 201);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  return c.json(await c.var.db.transaction((tx) => updateCadence(tx, c.var.principal, id, input)), 200);
};

export const archive: AppRouteHandler<typeof routes.archive> = async (c) => {
  const { id } = c.req.valid('param');
  await c.var.db.transaction((tx) => archiveCadence(tx, c.var.principal, id));
  return c.body(null, 204);
};

export const enrol: AppRouteHandler<typeof routes.enrol> = async (c) => {
  const { cadenceId, leadIds } = c.req.valid('json');
  return c.json(await c.var.db.transaction((tx) => enrolLeads(tx, c.var.principal, cadenceId, leadIds)), 201);
};

export const change: AppRouteHandler<typeof routes.change> = async (c) => {
  const { id } = c.req.valid('param');
  const { action } = c.req.valid('json');
  return c.json(await c.var.db.transaction((tx) => changeEnrolment(tx, c.var.principal, id, action)), 200);
};

export const forLead: AppRouteHandler<typeof routes.forLead> = async (c) => {
  const { id } = c.req.valid('param');
  await findLeadFor(c.var.db, c.var.principal, id, 'lead.read');
  return c.json({ items: await leadEnrolments(c.var.db, c.var.principal.workspaceId, id) }, 200);
};

export const recycle: AppRouteHandler<typeof routes.recycle> = async (c) => {
  const { id } = c.req.valid('param');
  const { cadenceId } = c.req.valid('json');
  return c.json(await c.var.db.transaction((tx) => recycleLead(tx, c.var.principal, id, cadenceId)), 201);
};

export const analytics: AppRouteHandler<typeof routes.analytics> = async (c) => {
  const { from, to } = c.req.valid('query');
  const range = {
    from: from ? new Date(`${from}T00:00:00Z`) : undefined,
    // `to` is inclusive: up to the start of the next day.
    to: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : undefined,
  };
  return c.json(await cadenceAnalytics(c.var.db, c.var.principal.workspaceId, range), 200);
};
