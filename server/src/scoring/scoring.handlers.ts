import { and, eq } from 'drizzle-orm';
import { scoringModels } from '../db/schema';
import type { AppRouteHandler } from '../lib/types';
import { activeModel } from './model.service';
import { changeModel, rescoreProgress } from './rescore-job';
import type * as routes from './scoring.routes';

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { workspaceId } = c.var.principal;
  const model = await activeModel(c.var.db, workspaceId);
  const [row] = await c.var.db
    .select({ createdAt: scoringModels.createdAt })
    .from(scoringModels)
    .where(and(eq(scoringModels.workspaceId, workspaceId), eq(scoringModels.version, model.version)));
  return c.json(
    {
      version: model.version,
      model: model.document,
      createdAt: row!.createdAt.toISOString(),
      rescoring: await rescoreProgress(c.var.db, workspaceId),
    },
    200,
  );
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const document = c.req.valid('json');
  const { workspaceId, userId } = c.var.principal;
  const started = performance.now();
  const now = new Date();
  // In slices, while reads go on under the old model; the switch is one transaction (rescore-job.ts).
  const outcome = (await changeModel(c.var.db, workspaceId, document, userId, now))!;
  return c.json(
    {
      version: outcome.version,
      model: outcome.document,
      createdAt: now.toISOString(),
      rescored: outcome.rescored,
      changed: outcome.changed,
      stageChanges: outcome.stageChanges,
      durationMs: Math.round(performance.now() - started),
    },
    200,
  );
};
