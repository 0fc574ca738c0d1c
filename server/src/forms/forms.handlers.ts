import type { Context } from 'hono';
import type { AppRouteHandler } from '../lib/types';
import type * as routes from './forms.routes';
import { createForm, deleteForm, findForm, listForms, toWireForm, updateForm } from './forms.service';

/** The API's origin as the caller reached it: what the snippet posts to. */
const apiOrigin = (c: Context) => new URL(c.req.url).origin;

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const rows = await listForms(c.var.db, c.var.principal.workspaceId);
  return c.json({ items: rows.map((row) => toWireForm(row, apiOrigin(c))) }, 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const row = await createForm(c.var.db, c.var.principal, c.req.valid('json'));
  return c.json(toWireForm(row, apiOrigin(c)), 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const row = await findForm(c.var.db, c.var.principal.workspaceId, c.req.valid('param').id);
  return c.json(toWireForm(row, apiOrigin(c)), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const row = await updateForm(c.var.db, c.var.principal.workspaceId, id, c.req.valid('json'));
  return c.json(toWireForm(row, apiOrigin(c)), 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await deleteForm(c.var.db, c.var.principal.workspaceId, c.req.valid('param').id);
  return c.body(null, 204);
};
