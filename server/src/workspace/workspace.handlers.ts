import type { AppRouteHandler } from '../lib/types';
import type * as routes from './workspace.routes';
import { getWorkspaceSettings, setWorkspaceSettings } from './workspace.service';

export const get: AppRouteHandler<typeof routes.get> = async (c) =>
  c.json(await getWorkspaceSettings(c.var.db, c.var.principal.workspaceId), 200);

export const update: AppRouteHandler<typeof routes.update> = async (c) => {
  const body = c.req.valid('json');
  const saved = await c.var.db.transaction((tx) =>
    setWorkspaceSettings(tx, c.var.principal.workspaceId, body),
  );
  return c.json(saved, 200);
};
