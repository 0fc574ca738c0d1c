import { asc, eq, sql } from 'drizzle-orm';
import { issueToken } from './auth/issue-token';
import type { Database } from './db/client';
import { newId } from './db/ids';
import { apiTokens, users, workspaces } from './db/schema';
import { hashToken } from './lib/tokens';
import { ensureDefaultModel } from './scoring/model.service';

export interface BootstrapResult {
  workspaceId: string;
  adminUserId: string;
  /** A token made on this start (shown once), when no token existed and ADMIN_TOKEN was not set. */
  createdAdminToken: string | null;
}

/**
 * Makes the first workspace and admin on an empty database, and registers ADMIN_TOKEN (its hash) as
 * an admin token. In one write transaction, so several API processes starting together agree.
 */
export async function bootstrap(
  db: Database,
  adminToken?: string,
  now = new Date(),
): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    let [workspace] = await tx.select().from(workspaces).orderBy(asc(workspaces.createdAt)).limit(1);
    if (!workspace) {
      [workspace] = await tx
        .insert(workspaces)
        .values({ id: newId(), name: 'Leadline', createdAt: now })
        .returning();
    }
    const workspaceId = workspace!.id;
    await ensureDefaultModel(tx, workspaceId, now);
    let [admin] = await tx
      .select()
      .from(users)
      .where(sql`${users.workspaceId} = ${workspaceId} and ${users.role} = 'admin'`)
      .orderBy(asc(users.createdAt))
      .limit(1);
    if (!admin) {
      [admin] = await tx
        .insert(users)
        .values({ id: newId(), workspaceId, name: 'Admin', email: null, role: 'admin', createdAt: now })
        .returning();
    }
    const adminUserId = admin!.id;
    let createdAdminToken: string | null = null;
    if (adminToken) {
      const hash = hashToken(adminToken);
      const [known] = await tx
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(eq(apiTokens.tokenHash, hash));
      if (!known) {
        await issueToken(tx, { workspaceId, userId: adminUserId, label: 'ADMIN_TOKEN' }, now, adminToken);
      }
    } else {
      const [any] = await tx.select({ id: apiTokens.id }).from(apiTokens).limit(1);
      if (!any) {
        ({ token: createdAdminToken } = await issueToken(
          tx,
          { workspaceId, userId: adminUserId, label: 'first admin token' },
          now,
        ));
      }
    }
    return { workspaceId, adminUserId, createdAdminToken };
  });
}
