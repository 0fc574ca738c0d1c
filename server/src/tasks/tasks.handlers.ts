import type { AppRouteHandler } from '../lib/types';
import { listTasks } from './task-queue';
import type * as routes from './tasks.routes';
import { createTask, updateTask, wireTask } from './tasks.service';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json(await listTasks(c.var.db, c.var.principal, c.req.valid('query')), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const input = c.req.valid('json');
  const task = await c.var.db.transaction(async (tx) =>
    wireTask(tx, await createTask(tx, c.var.principal, input)),
  );
  return c.json(task, 201);
};

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const { id } = c.req.valid('param');
  const patch = c.req.valid('json');
  const task = await c.var.db.transaction(async (tx) =>
    wireTask(tx, await updateTask(tx, c.var.principal, id, patch)),
  );
  return c.json(task, 200);
};
