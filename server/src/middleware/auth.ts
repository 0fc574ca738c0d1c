import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { apiTokens, users, workspaces } from '../db/schema';
import { VersionedCache } from '../db/versioned-cache';
import { ProblemException } from '../lib/problem';
import { hashToken } from '../lib/tokens';
import type { AppBindings, Principal } from '../lib/types';

/** Principals by token hash; a revoked token, a changed role or workspace setting drops them all. */
const principals = new VersionedCache<Principal>();

/** Resolves `Authorization: Bearer <token>` to the user and workspace it belongs to. */
export const requireAuth = createMiddleware<AppBindings>(async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) throw new ProblemException('unauthorized', 'Send Authorization: Bearer <token>');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ProblemException('unauthorized', 'The Authorization header must be "Bearer <token>"');
  const db = c.var.db;
  const hash = hashToken(match[1]!);
  const row = await principals.get(db, hash, async () => {
    const [found] = await db
      .select({
        tokenId: apiTokens.id,
        userId: users.id,
        workspaceId: users.workspaceId,
        role: users.role,
        repsSeeOnlyOwnLeads: workspaces.repsSeeOnlyOwnLeads,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(eq(apiTokens.tokenHash, hash), isNull(users.deactivatedAt)))
      .limit(1);
    return found;
  });
  if (!row) throw new ProblemException('unauthorized', 'The token is unknown or has been revoked');
  c.set('principal', { ...row });
  await next();
});
