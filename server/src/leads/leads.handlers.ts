import type { LeadStage } from '@leadline/shared';
import { and, desc, eq } from 'drizzle-orm';
import { stageChanges } from '../db/schema';
import { notifyEventListeners } from '../events/events.service';
import { idempotentWrite } from '../lib/idempotency';
import type { AppRouteHandler } from '../lib/types';
import { foldDueTouchpoints, liveScore } from '../scoring/lead-scoring';
import { activeModel } from '../scoring/model.service';
import { topByScore } from '../scoring/ranking';
import { scoreReport } from '../scoring/score-report';
import {
  addTouchpoint,
  deleteTouchpoint,
  listTouchpoints as listTouchpointRows,
  toWireTouchpoint,
} from '../touchpoints/touchpoints.service';
import { decodeCursor, encodeCursor, scoreCursorSchema } from './cursor';
import { leadExists, touchpointExists } from './exists';
import { toWireLead } from './leads.mapper';
import type * as routes from './leads.routes';
import { createLead, deleteLead, findLead, listLeadsByTime, matchLead, updateLead } from './leads.service';

/** How deep "hottest first" pages go: each page is the exact top (offset + limit) at one moment. */
const MAX_SCORE_OFFSET = 1000;

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const input = c.req.valid('json');
  const lead = await idempotentWrite(
    c,
    input,
    async (tx) => {
      const { row, model } = await createLead(tx, c.var.principal, input);
      return toWireLead(row, liveScore(row, model, Date.now()));
    },
    {
      goneSince: async (first, tx) =>
        (await leadExists(tx, first.id))
          ? null
          : `The lead this request created (${first.id}) has since been deleted`,
    },
  );
  notifyEventListeners();
  return c.json(lead, 201);
};

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const query = c.req.valid('query');
  const { workspaceId } = c.var.principal;
  const now = new Date();
  await foldDueTouchpoints(c.var.db, workspaceId, now);
  const model = await activeModel(c.var.db, workspaceId);
  if (query.sort === '-score') {
    const { o: offset, t: atMs } = query.cursor
      ? decodeCursor(query.cursor, scoreCursorSchema(MAX_SCORE_OFFSET, now.getTime()), 'sort=-score')
      : { o: 0, t: now.getTime() };
    const ranked = await topByScore(c.var.db, workspaceId, query, offset + query.limit, model, atMs);
    const page = ranked.slice(offset);
    const next = offset + query.limit;
    return c.json(
      {
        items: page.map(({ row }) => toWireLead(row, liveScore(row, model, atMs))),
        nextCursor:
          ranked.length === next && next < MAX_SCORE_OFFSET ? encodeCursor({ o: next, t: atMs }) : null,
      },
      200,
    );
  }
  const { rows, nextCursor } = await listLeadsByTime(c.var.db, workspaceId, { ...query, sort: query.sort });
  return c.json(
    { items: rows.map((row) => toWireLead(row, liveScore(row, model, now.getTime()))), nextCursor },
    200,
  );
};

export const match: AppRouteHandler<typeof routes.match> = async (c) => {
  const { workspaceId } = c.var.principal;
  await foldDueTouchpoints(c.var.db, workspaceId);
  const found = await matchLead(c.var.db, workspaceId, c.req.valid('query'));
  if (!found) return c.json({ match: null }, 200);
  const model = await activeModel(c.var.db, workspaceId);
  return c.json(
    {
      match: {
        lead: toWireLead(found.row, liveScore(found.row, model, Date.now())),
        reason: found.reason,
        confidence: found.confidence,
        needsConfirmation: found.reason === 'nameAndDomain' || found.reason === 'nameAndCompany',
      },
    },
    200,
  );
};

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { workspaceId } = c.var.principal;
  const now = new Date();
  await foldDueTouchpoints(c.var.db, workspaceId, now);
  const row = await findLead(c.var.db, workspaceId, c.req.valid('param').id);
  const model = await activeModel(c.var.db, workspaceId);
  const scoring = await scoreReport(c.var.db, row, model, now);
  return c.json({ ...toWireLead(row, liveScore(row, model, now.getTime())), scoring }, 200);
};

export const score: AppRouteHandler<typeof routes.score> = async (c) => {
  const { workspaceId } = c.var.principal;
  const { at } = c.req.valid('query');
  const row = await findLead(c.var.db, workspaceId, c.req.valid('param').id);
  const model = await activeModel(c.var.db, workspaceId);
  return c.json(await scoreReport(c.var.db, row, model, at ? new Date(at) : new Date()), 200);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const lead = await idempotentWrite(c, { id, patch }, async (tx) => {
    const { after, model } = await updateLead(tx, c.var.principal, id, patch);
    return toWireLead(after, liveScore(after, model, Date.now()));
  });
  notifyEventListeners();
  return c.json(lead, 200);
};

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  const { id } = c.req.valid('param');
  await c.var.db.transaction((tx) => deleteLead(tx, c.var.principal.workspaceId, id));
  notifyEventListeners();
  return c.body(null, 204);
};

export const createTouchpoint: AppRouteHandler<typeof routes.createTouchpoint> = async (c) => {
  const { id } = c.req.valid('param');
  const input = c.req.valid('json');
  const touchpoint = await idempotentWrite(
    c,
    { id, input },
    async (tx) => {
      const lead = await findLead(tx, c.var.principal.workspaceId, id);
      return toWireTouchpoint(await addTouchpoint(tx, c.var.principal, lead, input));
    },
    {
      goneSince: async (first, tx) =>
        (await touchpointExists(tx, first.id))
          ? null
          : `The touchpoint this request logged (${first.id}) has since been taken back or deleted`,
    },
  );
  notifyEventListeners();
  return c.json(touchpoint, 201);
};

export const listTouchpoints: AppRouteHandler<typeof routes.listTouchpoints> = async (c) => {
  const { id } = c.req.valid('param');
  await findLead(c.var.db, c.var.principal.workspaceId, id);
  const rows = await listTouchpointRows(c.var.db, c.var.principal.workspaceId, id);
  return c.json({ items: rows.map(toWireTouchpoint) }, 200);
};

export const removeTouchpoint: AppRouteHandler<typeof routes.removeTouchpoint> = async (c) => {
  const { id, touchpointId } = c.req.valid('param');
  const { workspaceId } = c.var.principal;
  await c.var.db.transaction(async (tx) => {
    await findLead(tx, workspaceId, id);
    await deleteTouchpoint(tx, workspaceId, id, touchpointId);
  });
  notifyEventListeners();
  return c.body(null, 204);
};

export const listStageChanges: AppRouteHandler<typeof routes.listStageChanges> = async (c) => {
  const { id } = c.req.valid('param');
  const { workspaceId } = c.var.principal;
  await findLead(c.var.db, workspaceId, id);
  const rows = await c.var.db
    .select()
    .from(stageChanges)
    .where(and(eq(stageChanges.workspaceId, workspaceId), eq(stageChanges.leadId, id)))
    .orderBy(desc(stageChanges.at));
  return c.json(
    {
      items: rows.map((row) => ({
        id: row.id,
        from: row.fromStage as LeadStage | null,
        to: row.toStage as LeadStage,
        cause: row.cause,
        userId: row.userId,
        at: row.at.toISOString(),
      })),
    },
    200,
  );
};
