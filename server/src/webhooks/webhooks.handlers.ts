import type { AppRouteHandler } from '../lib/types';
import type * as routes from './webhooks.routes';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries as listEndpointDeliveries,
  listEndpoints,
  resendDelivery as resend,
  rotateSecret as rotate,
  updateEndpoint,
} from './webhooks.service';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json(await listEndpoints(c.var.db, c.var.principal.workspaceId), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const body = c.req.valid('json');
  const endpoint = await c.var.db.transaction((tx) => createEndpoint(tx, c.var.principal, body));
  return c.json(endpoint, 201);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) =>
  c.json(await getEndpoint(c.var.db, c.var.principal.workspaceId, c.req.valid('param').id), 200);

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const body = c.req.valid('json');
  const endpoint = await c.var.db.transaction((tx) => updateEndpoint(tx, c.var.principal, id, body));
  return c.json(endpoint, 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { id } = c.req.valid('param');
  await c.var.db.transaction((tx) => deleteEndpoint(tx, c.var.principal.workspaceId, id));
  return c.body(null, 204);
};

export const rotateSecret: AppRouteHandler<typeof routes.rotateSecret> = async (c) => {
  const { id } = c.req.valid('param');
  const endpoint = await c.var.db.transaction((tx) => rotate(tx, c.var.principal.workspaceId, id));
  return c.json(endpoint, 200);
};

export const listDeliveries: AppRouteHandler<typeof routes.listDeliveries> = async (c) => {
  const { id } = c.req.valid('param');
  const page = await listEndpointDeliveries(c.var.db, c.var.principal.workspaceId, id, c.req.valid('query'));
  return c.json(page, 200);
};

export const resendDelivery: AppRouteHandler<typeof routes.resendDelivery> = async (c) => {
  const { id, deliveryId } = c.req.valid('param');
  const delivery = await c.var.db.transaction((tx) =>
    resend(tx, c.var.principal.workspaceId, id, deliveryId),
  );
  return c.json(delivery, 202);
};
