import type { AppRouteHandler } from '../lib/types';
import type * as routes from './analytics.routes';
import * as service from './analytics.service';
import { toScope } from './analytics.sql';
import { attribution as attributionOf } from './attribution.service';
import { leadsBehind as leadsBehindOf } from './leads-behind.service';
import { repActivity as repActivityOf } from './rep-activity.service';
import * as settings from './settings.service';
import { sources as sourcesOf } from './sources.service';

export const funnel: AppRouteHandler<typeof routes.funnel> = async (c) =>
  c.json(await service.funnel(c.var.db, toScope(c.var.principal.workspaceId, c.req.valid('query'))), 200);

export const velocity: AppRouteHandler<typeof routes.velocity> = async (c) =>
  c.json(await service.velocity(c.var.db, toScope(c.var.principal.workspaceId, c.req.valid('query'))), 200);

export const speedToLead: AppRouteHandler<typeof routes.speedToLead> = async (c) =>
  c.json(
    await service.speedToLead(c.var.db, toScope(c.var.principal.workspaceId, c.req.valid('query'))),
    200,
  );

export const outcomes: AppRouteHandler<typeof routes.outcomes> = async (c) => {
  const { workspaceId } = c.var.principal;
  const probabilities = await settings.getStageProbabilities(c.var.db, workspaceId);
  const scope = toScope(workspaceId, c.req.valid('query'));
  return c.json(await service.outcomes(c.var.db, scope, probabilities), 200);
};

export const sources: AppRouteHandler<typeof routes.sources> = async (c) =>
  c.json(await sourcesOf(c.var.db, toScope(c.var.principal.workspaceId, c.req.valid('query'))), 200);

export const attribution: AppRouteHandler<typeof routes.attribution> = async (c) => {
  const { model, ...query } = c.req.valid('query');
  return c.json(await attributionOf(c.var.db, toScope(c.var.principal.workspaceId, query), model), 200);
};

export const repActivity: AppRouteHandler<typeof routes.repActivity> = async (c) =>
  c.json(await repActivityOf(c.var.db, toScope(c.var.principal.workspaceId, c.req.valid('query'))), 200);

export const leadsBehind: AppRouteHandler<typeof routes.leadsBehind> = async (c) => {
  const { from, to, owner, channel, campaign, limit, cursor, ...figure } = c.req.valid('query');
  const scope = toScope(c.var.principal.workspaceId, { from, to, owner, channel, campaign });
  return c.json(await leadsBehindOf(c.var.db, scope, figure, { limit, cursor }), 200);
};

export const getStageProbabilities: AppRouteHandler<typeof routes.getStageProbabilities> = async (c) =>
  c.json(await settings.getStageProbabilities(c.var.db, c.var.principal.workspaceId), 200);

export const putStageProbabilities: AppRouteHandler<typeof routes.putStageProbabilities> = async (c) => {
  const body = c.req.valid('json');
  const saved = await c.var.db.transaction((tx) =>
    settings.setStageProbabilities(tx, c.var.principal.workspaceId, body),
  );
  return c.json(saved, 200);
};

export const listSourceCosts: AppRouteHandler<typeof routes.listSourceCosts> = async (c) =>
  c.json(await settings.listSourceCosts(c.var.db, c.var.principal.workspaceId, c.req.valid('query')), 200);

export const putSourceCosts: AppRouteHandler<typeof routes.putSourceCosts> = async (c) => {
  const items = c.req.valid('json');
  const { workspaceId } = c.var.principal;
  const months = items.map((item) => item.month).sort();
  const list = await c.var.db.transaction(async (tx) => {
    await settings.upsertSourceCosts(tx, workspaceId, items);
    if (months.length === 0) return { items: [] };
    return settings.listSourceCosts(tx, workspaceId, { from: months[0], to: months[months.length - 1] });
  });
  return c.json(list, 200);
};
