import { readScope } from '../auth/permissions';
import { optimistically } from '../db/client';
import { listStageChanges as stageHistory } from '../db/stage-changes';
import { idempotentWrite } from '../lib/idempotency';
import type { AppRouteHandler } from '../lib/types';
import { activeModel } from '../scoring/model.service';
import { scoreReport } from '../scoring/score-report';
import {
  addTouchpoint,
  deleteTouchpoint,
  listTouchpoints as listTouchpointRows,
  toWireTouchpoint,
} from '../touchpoints/touchpoints.service';
import { leadHistory } from './audit';
import { leadExists, touchpointExists } from './exists';
import { getLead, listLeads, matchLeadNow, withinScope } from './lead-reads';
import { toWireLead } from './leads.mapper';
import type * as routes from './leads.routes';
import { createLead, deleteLead, findLeadFor, updateLead } from './leads.service';

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const input = c.req.valid('json');
  const { origin } = c.req.valid('query');
  const lead = await idempotentWrite(
    c,
    input,
    async (tx) => {
      const { row, score } = await createLead(tx, c.var.principal, input, origin);
      return toWireLead(row, score);
    },
    {
      goneSince: async (first, tx) =>
        (await leadExists(tx, first.id))
          ? null
          : `The lead this request created (${first.id}) has since been deleted`,
    },
  );
  return c.json(lead, 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const query = withinScope(c.req.valid('query'), readScope(c.var.principal));
  if (!query) return c.json({ items: [], nextCursor: null }, 200);
  return c.json(await listLeads(c.var.db, c.var.principal.workspaceId, query), 200);
};

export const match: AppRouteHandler<typeof routes.match> = async (c) => {
  const query = { ...c.req.valid('query'), owner: readScope(c.var.principal) };
  return c.json(await matchLeadNow(c.var.db, c.var.principal.workspaceId, query), 200);
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const row = await findLeadFor(c.var.db, c.var.principal, c.req.valid('param').id, 'lead.read');
  return c.json(await getLead(c.var.db, c.var.principal.workspaceId, row.id, new Date(), row), 200);
};

export const score: AppRouteHandler<typeof routes.score> = async (c) => {
  const { workspaceId } = c.var.principal;
  const { at } = c.req.valid('query');
  const row = await findLeadFor(c.var.db, c.var.principal, c.req.valid('param').id, 'lead.read');
  const model = await activeModel(c.var.db, workspaceId);
  return c.json(await scoreReport(c.var.db, row, model, at ? new Date(at) : new Date()), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const lead = await idempotentWrite(c, { id, patch }, async (tx) => {
    const { after } = await updateLead(tx, c.var.principal, id, patch);
    return toWireLead(after.row, after.score);
  });
  return c.json(lead, 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { id } = c.req.valid('param');
  await c.var.db.transaction((tx) => deleteLead(tx, c.var.principal, id));
  return c.body(null, 204);
};

export const createTouchpoint: AppRouteHandler<typeof routes.createTouchpoint> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  // The busiest write of the day: the lead is read outside the write lock (optimistically).
  const touchpoint = await optimistically(() =>
    idempotentWrite(
      c,
      { id, input },
      async (tx) => {
        const lead = await findLeadFor(tx, c.var.principal, id, 'touchpoint.log');
        return toWireTouchpoint(await addTouchpoint(tx, c.var.principal, lead, input));
      },
      {
        goneSince: async (first, tx) =>
          (await touchpointExists(tx, first.id))
            ? null
            : `The touchpoint this request logged (${first.id}) has since been taken back or deleted`,
      },
    ),
  );
  return c.json(touchpoint, 201);
};

export const listTouchpoints: AppRouteHandler<typeof routes.listTouchpoints> = async (c) => {
  const { id } = c.req.valid('param');
  await findLeadFor(c.var.db, c.var.principal, id, 'lead.read');
  const rows = await listTouchpointRows(c.var.db, c.var.principal.workspaceId, id);
  return c.json({ items: rows.map(toWireTouchpoint) }, 200);
};

export const removeTouchpoint: AppRouteHandler<typeof routes.removeTouchpoint> = async (c) => {
  const { id, touchpointId } = c.req.valid('param');
  await c.var.db.transaction(async (tx) => {
    const lead = await findLeadFor(tx, c.var.principal, id, 'lead.read');
    await deleteTouchpoint(tx, c.var.principal, lead, touchpointId);
  });
  return c.body(null, 204);
};

export const listStageChanges: AppRouteHandler<typeof routes.listStageChanges> = async (c) => {
  const { id } = c.req.valid('param');
  await findLeadFor(c.var.db, c.var.principal, id, 'lead.read');
  return c.json({ items: await stageHistory(c.var.db, c.var.principal.workspaceId, id) }, 200);
};

export const audit: AppRouteHandler<typeof routes.audit> = async (c) => {
  const { id } = c.req.valid('param');
  await findLeadFor(c.var.db, c.var.principal, id, 'lead.read');
  return c.json({ leadId: id, items: await leadHistory(c.var.db, c.var.principal.workspaceId, id) }, 200);
};
