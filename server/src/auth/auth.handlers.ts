import { and, asc, eq } from 'drizzle-orm';
import { newId } from '../db/ids';
import { apiTokens, users, workspaces } from '../db/schema';
import { ProblemException } from '../lib/problem';
import type { AppRouteHandler } from '../lib/types';
import type * as routes from './auth.routes';
import { issueToken } from './issue-token';

export const me: AppRouteHandler<typeof routes.me> = async (c) => {
  const { userId, workspaceId } = c.var.principal;
  const [row] = await c.var.db
    .select({ user: users, workspace: workspaces })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId)));
  if (!row) throw new ProblemException('unauthorized', 'The user of this token no longer exists');
  return c.json(
    {
      user: {
        id: row.user.id,
        name: row.user.name,
        email: row.user.email,
        role: row.user.role,
        awayUntil: row.user.awayUntil?.toISOString() ?? null,
      },
      workspace: { id: row.workspace.id, name: row.workspace.name },
    },
    200,
  );
};

export const listTokens: AppRouteHandler<typeof routes.listTokens> = async (c) => {
  const rows = await c.var.db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      userName: users.name,
      role: users.role,
      label: apiTokens.label,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.workspaceId, c.var.principal.workspaceId))
    .orderBy(asc(apiTokens.createdAt));
  return c.json({ items: rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) }, 200);
};

export const createToken: AppRouteHandler<typeof routes.createToken> = async (c) => {
  const input = c.req.valid('json');
  const { workspaceId } = c.var.principal;
  const now = new Date();
  const { row: created, token } = await c.var.db.transaction(async (tx) => {
    let userId = input.userId;
    if (userId) {
      const [user] = await tx
        .select({ id: users.id, deactivatedAt: users.deactivatedAt })
        .from(users)
        .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId)));
      if (!user) throw new ProblemException('not-found', `No user ${userId} in this workspace`);
      if (user.deactivatedAt)
        throw new ProblemException('conflict', `${userId} is deactivated: no new token`);
    } else {
      userId = newId();
      await tx.insert(users).values({
        id: userId,
        workspaceId,
        name: input.name!,
        email: input.email ?? null,
        role: input.role,
        createdAt: now,
      });
    }
    return issueToken(tx, { workspaceId, userId, label: input.label ?? null }, now);
  });
  return c.json(
    {
      id: created.id,
      userId: created.userId,
      label: created.label,
      token,
      createdAt: created.createdAt.toISOString(),
    },
    201,
  );
};

export const removeToken: AppRouteHandler<typeof routes.removeToken> = async (c) => {
  const { id } = c.req.valid('param');
  const deleted = await c.var.db.transaction((tx) =>
    tx
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, id), eq(apiTokens.workspaceId, c.var.principal.workspaceId)))
      .returning({ id: apiTokens.id }),
  );
  if (!deleted.length) throw new ProblemException('not-found', `No token ${id} in this workspace`);
  return c.body(null, 204);
};

export const listUsers: AppRouteHandler<typeof routes.listUsers> = async (c) => {
  const rows = await c.var.db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.workspaceId, c.var.principal.workspaceId))
    .orderBy(asc(users.name));
  return c.json({ items: rows }, 200);
};

export const getLeadVisibility: AppRouteHandler<typeof routes.getLeadVisibility> = async (c) => {
  const [row] = await c.var.db
    .select({ repsSeeOnlyOwnLeads: workspaces.repsSeeOnlyOwnLeads })
    .from(workspaces)
    .where(eq(workspaces.id, c.var.principal.workspaceId));
  return c.json({ repsSeeOnlyOwnLeads: row?.repsSeeOnlyOwnLeads ?? false }, 200);
};

export const putLeadVisibility: AppRouteHandler<typeof routes.putLeadVisibility> = async (c) => {
  const { repsSeeOnlyOwnLeads } = c.req.valid('json');
  await c.var.db.transaction((tx) =>
    tx.update(workspaces).set({ repsSeeOnlyOwnLeads }).where(eq(workspaces.id, c.var.principal.workspaceId)),
  );
  return c.json({ repsSeeOnlyOwnLeads }, 200);
};
