import { type LeadCreate, scoreLead } from '@leadline/shared';
import { accountKeyOf } from '@leadline/shared/routing';
import { and, eq } from 'drizzle-orm';
import { authorize } from '../auth/permissions';
import { conditionLead } from '../db/lead-row';
import { users } from '../db/schema';
import { getLead } from '../leads/lead-reads';
import { toLeadColumns } from '../leads/leads.mapper';
import { findLead, findLeadFor } from '../leads/leads.service';
import { ProblemException } from '../lib/problem';
import type { AppRouteHandler } from '../lib/types';
import { activeModel } from '../scoring/model.service';
import { leadAssignmentHistory } from './assign';
import type * as routes from './routing.routes';
import { activeRouting, decideFor, routeLead, saveRouting } from './routing.service';
import { routingAnalytics } from './routing-analytics';

export const get: AppRouteHandler<typeof routes.get> = async (c) =>
  c.json(await activeRouting(c.var.db, c.var.principal.workspaceId), 200);

export const put: AppRouteHandler<typeof routes.put> = async (c) => {
  const document = c.req.valid('json');
  const saved = await c.var.db.transaction((tx) => saveRouting(tx, c.var.principal, document, new Date()));
  return c.json(saved, 200);
};

/** What a lead typed into "Try a lead" reads as, scored as a new lead (no touchpoints yet). */
async function draftLead(
  c: Parameters<AppRouteHandler<typeof routes.preview>>[0],
  input: LeadCreate,
  now: Date,
) {
  const columns = toLeadColumns(input);
  const model = await activeModel(c.var.db, c.var.principal.workspaceId);
  const fields = {
    ...columns,
    bant: input.bant ?? null,
    source: {
      channel: input.source?.channel ?? 'manual',
      url: input.source?.url ?? null,
      utm: input.source?.utm ?? null,
    },
  };
  const score = scoreLead(fields, [], model.document, now);
  return {
    row: null,
    fields: {
      ...fields,
      stage: input.stage ?? 'new',
      fit: score.fit,
      score: score.score,
      grade: score.grade,
    },
    accountKey: accountKeyOf(columns),
  };
}

export const preview: AppRouteHandler<typeof routes.preview> = async (c) => {
  const body = c.req.valid('json');
  const { workspaceId, userId } = c.var.principal;
  const now = new Date();
  let lead: Parameters<typeof decideFor>[2];
  if (body.leadId) {
    // A stored lead: compared with the other leads of its account, not with itself.
    const row = await findLead(c.var.db, workspaceId, body.leadId);
    const detail = await getLead(c.var.db, workspaceId, row.id, now);
    lead = { row, fields: conditionLead(row, detail), accountKey: row.accountKey };
  } else {
    lead = await draftLead(c, body.lead!, now);
  }
  const options = { origin: body.origin, creatorId: userId, draft: body.document };
  const trace = await decideFor(c.var.db, workspaceId, lead, options, now);
  return c.json({ trace, ownerName: await nameOf(c, trace?.ownerId ?? null) }, 200);
};

async function nameOf(
  c: { var: { db: Parameters<typeof findLead>[0]; principal: { workspaceId: string } } },
  id: string | null,
) {
  if (!id) return null;
  const [row] = await c.var.db
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.workspaceId, c.var.principal.workspaceId), eq(users.id, id)));
  return row?.name ?? null;
}

export const assignments: AppRouteHandler<typeof routes.assignments> = async (c) => {
  const { id } = c.req.valid('param');
  await findLeadFor(c.var.db, c.var.principal, id, 'lead.read');
  return c.json({ items: await leadAssignmentHistory(c.var.db, c.var.principal.workspaceId, id) }, 200);
};

export const routeAgain: AppRouteHandler<typeof routes.routeAgain> = async (c) => {
  const { id } = c.req.valid('param');
  const { principal } = c.var;
  const now = new Date();
  await c.var.db.transaction(async (tx) => {
    const row = await findLead(tx, principal.workspaceId, id);
    authorize(principal, 'lead.reassign', { ownerId: row.ownerId });
    const placed = await routeLead(
      tx,
      principal,
      row,
      undefined,
      'route_again',
      { origin: 'api', creatorId: principal.userId },
      now,
    );
    if (!placed)
      throw new ProblemException(
        'conflict',
        'This workspace has no routing rules yet: PUT /api/routing first',
      );
  });
  const [assignment] = await leadAssignmentHistory(c.var.db, principal.workspaceId, id);
  return c.json(
    { lead: await getLead(c.var.db, principal.workspaceId, id, now), assignment: assignment! },
    200,
  );
};

export const analytics: AppRouteHandler<typeof routes.analytics> = async (c) =>
  c.json(await routingAnalytics(c.var.db, c.var.principal.workspaceId, c.req.valid('query')), 200);
