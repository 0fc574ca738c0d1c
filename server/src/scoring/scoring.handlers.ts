import { and, eq } from 'drizzle-orm';
import { emitEvent } from '../db/events';
import { scoringModels } from '../db/schema';
import type { AppRouteHandler } from '../lib/types';
import { activeModel, insertModelVersion } from './model.service';
import { rescoreAll } from './rescore';
import type * as routes from './scoring.routes';

export const get: AppRouteHandler<typeof routes.get> = async (c) => {
  const { workspaceId } = c.var.principal;
  const model = await activeModel(c.var.db, workspaceId);
  const [row] = await c.var.db
    .select({ createdAt: scoringModels.createdAt })
    .from(scoringModels)
    .where(and(eq(scoringModels.workspaceId, workspaceId), eq(scoringModels.version, model.version)));
  return c.json(
    { version: model.version, model: model.document, createdAt: row!.createdAt.toISOString() },
    200,
  );
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const document = c.req.valid('json');
  const { workspaceId, userId } = c.var.principal;
  const started = performance.now();
  const now = new Date();
  // One transaction: if anything fails the old model and every old score stay in force.
  const result = await c.var.db.transaction(async (tx) => {
    const previous = await activeModel(tx, workspaceId);
    const next = await insertModelVersion(tx, workspaceId, document, userId, now);
    const { rescored, changed, stageChanges } = await rescoreAll(
      tx,
      workspaceId,
      previous,
      next,
      now,
      userId,
    );
    const counts = { rescored, changed, stageChanges };
    await emitEvent(
      tx,
      workspaceId,
      'scoring.model_changed',
      null,
      { version: next.version, ...counts },
      now,
    );
    return { next, counts };
  });
  return c.json(
    {
      version: result.next.version,
      model: result.next.document,
      createdAt: now.toISOString(),
      ...result.counts,
      durationMs: Math.round(performance.now() - started),
    },
    200,
  );
};
