import {
  DEFAULT_WORKSPACE_SETTINGS,
  type WorkspaceSettings,
  workspaceSettingsSchema,
} from '@leadline/shared';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { workspaces } from '../db/schema';

/** The workspace's currency, close reasons and recycle delay; the defaults for what it has not set. */
export async function getWorkspaceSettings(db: Executor, workspaceId: string): Promise<WorkspaceSettings> {
  const [row] = await db
    .select({
      currency: workspaces.currency,
      closeReasons: workspaces.closeReasons,
      recycleAfterDays: workspaces.recycleAfterDays,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const stored = workspaceSettingsSchema.safeParse({
    currency: row?.currency ?? DEFAULT_WORKSPACE_SETTINGS.currency,
    closeReasons: row?.closeReasons ?? DEFAULT_WORKSPACE_SETTINGS.closeReasons,
    recycleAfterDays: row?.recycleAfterDays ?? DEFAULT_WORKSPACE_SETTINGS.recycleAfterDays,
  });
  return stored.success ? stored.data : DEFAULT_WORKSPACE_SETTINGS;
}

export async function setWorkspaceSettings(
  db: Executor,
  workspaceId: string,
  settings: WorkspaceSettings,
): Promise<WorkspaceSettings> {
  await db
    .update(workspaces)
    .set({
      currency: settings.currency,
      closeReasons: settings.closeReasons,
      ...(settings.recycleAfterDays === undefined ? {} : { recycleAfterDays: settings.recycleAfterDays }),
    })
    .where(eq(workspaces.id, workspaceId));
  return getWorkspaceSettings(db, workspaceId);
}
