import {
  CLOSED_STAGES,
  canonicalLinkedinUrl,
  emailMatchKey,
  type LeadCreate,
  type LeadListQuery,
  type LeadPatch,
  type LeadStage,
  nameSimilarity,
} from '@leadline/shared';
import { accountKeyOf, type LeadOrigin } from '@leadline/shared/routing';
import { and, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import { type Action, authorize, type Subject } from '../auth/permissions';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import { leadFilters } from '../db/lead-filters';
import type { LeadRow } from '../db/lead-row';
import { selectLeads } from '../db/lead-rows';
import { events, leads, users } from '../db/schema';
import { recordStageChange } from '../db/stage-changes';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { assignLead, handTrace, recordAssignment } from '../routing/assign';
import { activeRouting, reroutesOn, routeLead } from '../routing/routing.service';
import { rescoreLead } from '../scoring/lead-scoring';
import { activeModel } from '../scoring/model.service';
import { recordLeadChanges } from './audit';
import { decodeCursor, encodeCursor, timeCursorSchema } from './cursor';
import { deriveFullName, toLeadColumns } from './leads.mapper';

export async function findLead(db: Executor, workspaceId: string, id: string): Promise<LeadRow> {
  const [row] = await selectLeads(db, and(eq(leads.workspaceId, workspaceId), eq(leads.id, id)));
  if (!row) throw new ProblemException('not-found', `No lead ${id} in this workspace`);
  return row;
}

/** The lead, once the policy allows `principal` to do `action` on it (403 naming the action if not). */
export async function findLeadFor(
  db: Executor,
  principal: Principal,
  id: string,
  action: Action,
): Promise<LeadRow> {
  const row = await findLead(db, principal.workspaceId, id);
  authorize(principal, action, { ownerId: row.ownerId });
  return row;
}

/**
 * What a PATCH asks of the policy, most specific first (so a refusal names the reassign or the deal
 * value, not the edit in general). Fields sent unchanged ask nothing of their own. A rep's claim of
 * an unowned lead counts for the rest of the same PATCH.
 */
function authorizePatch(principal: Principal, before: LeadRow, patch: LeadPatch) {
  const checks: [Action, Subject][] = [];
  const claims = before.ownerId === null && patch.ownerId === principal.userId;
  const subject = { ownerId: claims ? principal.userId : before.ownerId };
  if (patch.ownerId !== undefined && patch.ownerId !== before.ownerId) {
    checks.push(['lead.reassign', { ownerId: before.ownerId, newOwnerId: patch.ownerId }]);
  }
  if (patch.dealValue !== undefined && patch.dealValue !== before.dealValue) {
    checks.push(['lead.set-deal-value', subject]);
  }
  const stageMoves = patch.stage !== undefined && patch.stage !== before.stage;
  if (stageMoves && (CLOSED_STAGES.includes(patch.stage!) || CLOSED_STAGES.includes(before.stage))) {
    checks.push(['lead.close', subject]);
  }
  checks.push(['lead.edit', subject]);
  for (const [action, on] of checks) authorize(principal, action, on);
}

async function assertOwnerInWorkspace(db: Executor, workspaceId: string, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [owner] = await db
    .select({ id: users.id, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, ownerId)));
  const why = !owner
    ? `No user ${ownerId} in this workspace`
    : owner.deactivatedAt
      ? `${ownerId} is deactivated`
      : null;
  if (why) {
    throw new ProblemException('validation', `ownerId: ${why}`, [
      { path: ['ownerId'], message: why, code: 'custom' },
    ]);
  }
}

/** Refuses a second lead for a person already known by LinkedIn URL or e-mail (409 names the lead). */
async function assertNoDuplicate(
  db: Executor,
  workspaceId: string,
  keys: { linkedinUrl?: string | null; emailKey?: string | null },
  exceptId?: string,
) {
  const conditions: SQL[] = [];
  if (keys.linkedinUrl) conditions.push(eq(leads.linkedinUrl, keys.linkedinUrl));
  if (keys.emailKey) conditions.push(eq(leads.emailKey, keys.emailKey));
  if (!conditions.length) return;
  const rows = await db
    .select({ id: leads.id, linkedinUrl: leads.linkedinUrl })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), or(...conditions)))
    .limit(2);
  const existing = rows.find((row) => row.id !== exceptId);
  if (existing) {
    const by = keys.linkedinUrl && existing.linkedinUrl === keys.linkedinUrl ? 'LinkedIn URL' : 'e-mail';
    throw new ProblemException(
      'conflict',
      `A lead with this ${by} already exists: ${existing.id}`,
      undefined,
      {
        existingLeadId: existing.id,
      },
    );
  }
}

/**
 * Creates a lead and places it, in the caller's transaction: with `ownerId` given, to that owner;
 * else by the workspace's routing (shared/src/routing: the capturer keeps a panel capture, the
 * account's owner, the rules, the fallback), or, before any routing is set, to its creator. `origin`
 * says where it came from (panel, API, form, import): only a panel capture is the capturer's to keep.
 */
export async function createLead(
  db: Executor,
  principal: Principal,
  input: LeadCreate,
  origin: LeadOrigin,
  now = new Date(),
) {
  authorize(principal, 'lead.create', { ownerId: null, newOwnerId: input.ownerId });
  const fullName = deriveFullName(input);
  const columns = toLeadColumns({ ...input, fullName });
  await assertOwnerInWorkspace(db, principal.workspaceId, input.ownerId);
  await assertNoDuplicate(db, principal.workspaceId, columns);
  const stage: LeadStage = input.stage ?? 'new';
  const routing = input.ownerId ? null : await activeRouting(db, principal.workspaceId);
  const routed = routing !== null && routing.version > 0;
  const ownerId = routed ? null : (input.ownerId ?? principal.userId);
  const [row] = await db
    .insert(leads)
    .values({
      ...columns,
      id: newId(),
      workspaceId: principal.workspaceId,
      sourceChannel: columns.sourceChannel ?? 'manual',
      accountKey: accountKeyOf(columns),
      ownerId,
      stage,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordLeadChanges(db, principal, null, row!, now);
  await recordStageChange(db, principal, row!.id, null, stage, 'created', now);
  const model = await activeModel(db, principal.workspaceId);
  let scored = await rescoreLead(db, row!, { kind: 'fields' }, model, now, principal.userId);
  if (routed) {
    const placed = await routeLead(
      db,
      principal,
      scored.row,
      scored.score,
      'created',
      { origin, creatorId: principal.userId },
      now,
    );
    scored = { ...scored, row: placed!.row };
  } else {
    const trace = input.ownerId
      ? handTrace('manual', ownerId, 'given to them when the lead was created')
      : handTrace('creator', ownerId, 'created it (no routing rules yet)');
    await recordAssignment(db, principal, row!.id, null, 'created', trace, now);
  }
  await emitEvent(db, principal.workspaceId, 'lead.created', scored.row.id, {}, now);
  return scored;
}

export async function updateLead(
  db: Executor,
  principal: Principal,
  id: string,
  patch: LeadPatch,
  now = new Date(),
) {
  const before = await findLead(db, principal.workspaceId, id);
  authorizePatch(principal, before, patch);
  const { ownerId, ...columns } = toLeadColumns(patch);
  await assertOwnerInWorkspace(db, principal.workspaceId, patch.ownerId);
  await assertNoDuplicate(db, principal.workspaceId, columns, id);
  const merged = { ...before, ...columns };
  if (!merged.fullName && !merged.email && !merged.linkedinUrl) {
    throw new ProblemException('validation', 'A lead needs at least one of fullName, email or linkedinUrl', [
      {
        path: ['fullName'],
        message: 'A lead needs at least one of fullName, email or linkedinUrl',
        code: 'custom',
      },
    ]);
  }
  const [changed] = await db
    .update(leads)
    .set({ ...columns, accountKey: accountKeyOf({ ...before, ...columns }), updatedAt: now })
    .where(and(eq(leads.workspaceId, principal.workspaceId), eq(leads.id, id)))
    .returning();
  await recordLeadChanges(db, principal, before, changed!, now);
  const claims = before.ownerId === null && ownerId === principal.userId;
  const updated =
    ownerId === undefined || ownerId === before.ownerId
      ? changed!
      : await assignLead(db, principal, changed!, ownerId, claims ? 'claim' : 'manual', now);
  const stageByHand = patch.stage !== undefined && patch.stage !== before.stage;
  if (stageByHand) {
    await recordStageChange(db, principal, id, before.stage, patch.stage!, 'rep', now);
    await emitEvent(
      db,
      principal.workspaceId,
      'lead.stage_changed',
      id,
      { from: before.stage, to: patch.stage, cause: 'rep' },
      now,
    );
  }
  const model = await activeModel(db, principal.workspaceId);
  // A stage the rep just set stands as set: thresholds move it again only on a later write.
  let after = await rescoreLead(db, updated, { kind: 'fields' }, model, now, principal.userId, {
    autoStage: !patch.stage,
  });
  // The hand-off: a rule that asks for it routes the lead again when it enters a stage.
  if (after.row.stage !== before.stage && ownerId === undefined) {
    const routing = await activeRouting(db, principal.workspaceId);
    if (routing.version > 0 && reroutesOn(routing.document, after.row.stage)) {
      const placed = await routeLead(
        db,
        principal,
        after.row,
        after.score,
        'stage',
        { origin: 'api', creatorId: principal.userId },
        now,
      );
      if (placed) after = { ...after, row: placed.row };
    }
  }
  await emitEvent(db, principal.workspaceId, 'lead.updated', id, {}, now);
  return { before, after };
}

export async function deleteLead(db: Executor, principal: Principal, id: string) {
  const { workspaceId } = principal;
  await findLeadFor(db, principal, id, 'lead.delete');
  // Touchpoints and stage changes go with the lead (foreign keys cascade: see `assertForeignKeys`);
  // events name a lead without a foreign key, so the log can say it was deleted.
  await db.delete(events).where(eq(events.leadId, id));
  await db.delete(leads).where(eq(leads.id, id));
  await emitEvent(db, workspaceId, 'lead.deleted', id, {});
}

/** Keyset pagination by creation time or last touch, newest first (ties broken by id). */
export async function listLeadsByTime(
  db: Executor,
  workspaceId: string,
  query: LeadListQuery & { sort: '-createdAt' | '-lastTouchAt' },
) {
  const key = query.sort === '-createdAt' ? sql`${leads.createdAt}` : sql`coalesce(${leads.lastTouchAt}, 0)`;
  const filters = leadFilters(workspaceId, query);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, timeCursorSchema);
    const k = cursor.k ?? 0;
    filters.push(sql`(${key} < ${k} or (${key} = ${k} and ${leads.id} < ${cursor.id}))`);
  }
  const rows = await db
    .select()
    .from(leads)
    .where(and(...filters))
    .orderBy(desc(key), desc(leads.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({
          k: query.sort === '-createdAt' ? last.createdAt.getTime() : (last.lastTouchAt?.getTime() ?? 0),
          id: last.id,
        })
      : null;
  return { rows: page, nextCursor };
}

export type MatchReason = 'linkedinUrl' | 'email' | 'nameAndDomain' | 'nameAndCompany';

/** Name similarity from which a name + company domain match is offered (with a confirm step). */
export const FUZZY_NAME_THRESHOLD = 0.75;

/**
 * The known lead for a person: canonical LinkedIn URL, then e-mail match key, then a fuzzy name
 * within the same company domain (which the rep must confirm).
 */
export async function matchLead(
  db: Executor,
  workspaceId: string,
  query: {
    email?: string;
    linkedinUrl?: string;
    fullName?: string;
    companyDomain?: string;
    company?: string;
    /** Only leads of this owner (a rep who sees only their own leads). */
    owner?: string;
  },
): Promise<{ row: LeadRow; reason: MatchReason; confidence: number } | null> {
  const inWorkspace = and(
    eq(leads.workspaceId, workspaceId),
    query.owner === undefined ? undefined : eq(leads.ownerId, query.owner),
  );
  const linkedinUrl = query.linkedinUrl ? canonicalLinkedinUrl(query.linkedinUrl) : null;
  if (linkedinUrl) {
    const [row] = await selectLeads(db, and(inWorkspace, eq(leads.linkedinUrl, linkedinUrl)), 1);
    if (row) return { row, reason: 'linkedinUrl', confidence: 1 };
  }
  const emailKey = query.email ? emailMatchKey(query.email) : null;
  if (emailKey) {
    const [row] = await selectLeads(db, and(inWorkspace, eq(leads.emailKey, emailKey)), 1);
    if (row) return { row, reason: 'email', confidence: 1 };
  }
  // A LinkedIn page names the employer but rarely its domain, an e-mail the domain and often the
  // name: the same company by either counts, always with the rep's confirmation.
  const byCompany: [MatchReason, SQL][] = [];
  if (query.companyDomain)
    byCompany.push(['nameAndDomain', eq(leads.companyDomain, query.companyDomain.toLowerCase())]);
  if (query.company)
    byCompany.push(['nameAndCompany', sql`lower(${leads.company}) = ${query.company.toLowerCase()}`]);
  if (query.fullName) {
    let best: { row: LeadRow; similarity: number; reason: MatchReason } | null = null;
    for (const [reason, sameCompany] of byCompany) {
      const candidates = await selectLeads(db, and(inWorkspace, sameCompany), 500);
      for (const row of candidates) {
        if (!row.fullName) continue;
        const similarity = nameSimilarity(query.fullName, row.fullName);
        if (!best || similarity > best.similarity) best = { row, similarity, reason };
      }
    }
    if (best && best.similarity >= FUZZY_NAME_THRESHOLD) {
      return { row: best.row, reason: best.reason, confidence: Math.round(best.similarity * 100) / 100 };
    }
  }
  return null;
}
