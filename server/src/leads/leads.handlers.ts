import { idempotentWrite } from '../lib/idempotency';
import type { AppRouteHandler } from '../lib/types';
import {
  addTouchpoint,
  listTouchpoints as listTouchpointRows,
  toWireTouchpoint,
} from '../touchpoints/touchpoints.service';
import { toWireLead, ZERO_SCORE } from './leads.mapper';
import type * as routes from './leads.routes';
import { createLead, deleteLead, findLead, listLeadsByTime, matchLead, updateLead } from './leads.service';

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const input = c.req.valid('json');
  const lead = await idempotentWrite(c, input, async (tx) => {
    const row = await createLead(tx, c.var.principal, input);
    return toWireLead(row, ZERO_SCORE);
  });
  return c.json(lead, 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const query = c.req.valid('query');
  const sort = query.sort === '-score' ? '-createdAt' : query.sort;
  const { rows, nextCursor } = await listLeadsByTime(c.var.db, c.var.principal.workspaceId, {
    ...query,
    sort,
  });
  return c.json({ items: rows.map((row) => toWireLead(row, ZERO_SCORE)), nextCursor }, 200);
};

export const match: AppRouteHandler<typeof routes.match> = async (c) => {
  const found = await matchLead(c.var.db, c.var.principal.workspaceId, c.req.valid('query'));
  if (!found) return c.json({ match: null }, 200);
  return c.json(
    {
      match: {
        lead: toWireLead(found.row, ZERO_SCORE),
        reason: found.reason,
        confidence: found.confidence,
        needsConfirmation: found.reason === 'nameAndDomain',
      },
    },
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const row = await findLead(c.var.db, c.var.principal.workspaceId, c.req.valid('param').id);
  return c.json(toWireLead(row, ZERO_SCORE), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const { after } = await c.var.db.transaction((tx) => updateLead(tx, c.var.principal, id, patch));
  return c.json(toWireLead(after, ZERO_SCORE), 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { id } = c.req.valid('param');
  await c.var.db.transaction((tx) => deleteLead(tx, c.var.principal.workspaceId, id));
  return c.body(null, 204);
};

export const createTouchpoint: AppRouteHandler<typeof routes.createTouchpoint> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const touchpoint = await idempotentWrite(c, { id, input }, async (tx) => {
    await findLead(tx, c.var.principal.workspaceId, id);
    return toWireTouchpoint(await addTouchpoint(tx, c.var.principal, id, input));
  });
  return c.json(touchpoint, 201);
};

export const listTouchpoints: AppRouteHandler<typeof routes.listTouchpoints> = async (c) => {
  const { id } = c.req.valid('param');
  await findLead(c.var.db, c.var.principal.workspaceId, id);
  const rows = await listTouchpointRows(c.var.db, c.var.principal.workspaceId, id);
  return c.json({ items: rows.map(toWireTouchpoint) }, 200);
};
