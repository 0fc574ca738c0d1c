import type { ConditionLead } from '@leadline/shared';
import {
  type AssignmentCause,
  decideRouting,
  type LeadOrigin,
  type Routing,
  type RoutingDocument,
  type RoutingPerson,
  type RoutingState,
  type RoutingTeam,
  type RoutingTrace,
  referencesOf,
  routingDocumentSchema,
  startOfLocalDay,
} from '@leadline/shared/routing';
import { workCalendar } from '@leadline/shared/working-time';
import { and, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { conditionLead, type LeadRow, type LeadScore } from '../db/lead-row';
import {
  leadAssignments,
  leads,
  ownerOpenLeads,
  routingRules,
  teamMembers,
  teams,
  users,
} from '../db/schema';
import { VersionedCache } from '../db/versioned-cache';
import { ProblemException, type ProblemIssue } from '../lib/problem';
import type { Actor, Principal } from '../lib/types';
import { assignLead } from './assign';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The round robin's window: each member's share is measured over the last 30 days. */
export const SHARE_WINDOW_MS = 30 * DAY_MS;

const NO_ROUTING: Routing = {
  version: 0,
  document: routingDocumentSchema.parse({}),
  createdAt: null,
  createdBy: null,
};

/** The routing in force: the highest version, or version 0 (none yet: leads stay with their creator). */
export async function activeRouting(db: Executor, workspaceId: string): Promise<Routing> {
  return (await routings.get(db, workspaceId, () => loadRouting(db, workspaceId)))!;
}

/**
 * The rule set in force and the people and teams it decides among, per workspace, kept in this
 * process while `cache_versions` stays the same (triggers on routing_rules, teams, team_members and
 * users bump it, migrations 0012 and 0018): a decision reads only the counts that change per lead.
 */
const routings = new VersionedCache<Routing>(1000);
const rosters = new VersionedCache<Roster>(1000);

interface Roster {
  users: (typeof users.$inferSelect)[];
  teams: (typeof teams.$inferSelect)[];
  members: (typeof teamMembers.$inferSelect)[];
}

async function roster(tx: Executor, workspaceId: string, teamIds: readonly string[]): Promise<Roster> {
  const key = `${workspaceId}\u0000${teamIds.join(',')}`;
  const loaded = await rosters.get(tx, key, async () => {
    const [userRows, teamRows, memberRows] = await Promise.all([
      tx.select().from(users).where(eq(users.workspaceId, workspaceId)),
      teamIds.length
        ? tx
            .select()
            .from(teams)
            .where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, [...teamIds])))
        : [],
      teamIds.length
        ? tx
            .select()
            .from(teamMembers)
            .where(inArray(teamMembers.teamId, [...teamIds]))
        : [],
    ]);
    return { users: userRows, teams: teamRows, members: memberRows };
  });
  return loaded!;
}

async function loadRouting(db: Executor, workspaceId: string): Promise<Routing> {
  const [row] = await db
    .select()
    .from(routingRules)
    .where(eq(routingRules.workspaceId, workspaceId))
    .orderBy(desc(routingRules.version))
    .limit(1);
  if (!row) return NO_ROUTING;
  return {
    version: row.version,
    document: routingDocumentSchema.parse(row.document),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

/** 422 naming each person or team a document refers to that is unknown, deactivated or empty. */
export async function assertReferences(db: Executor, workspaceId: string, document: RoutingDocument) {
  const refs = referencesOf(document);
  const personIds = refs.filter((r) => r.kind === 'person').map((r) => r.id);
  const teamIds = refs.filter((r) => r.kind === 'team').map((r) => r.id);
  const [people, teamRows, members] = await Promise.all([
    personIds.length
      ? db
          .select({ id: users.id, deactivatedAt: users.deactivatedAt })
          .from(users)
          .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, personIds)))
      : [],
    teamIds.length
      ? db
          .select({ id: teams.id })
          .from(teams)
          .where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, teamIds)))
      : [],
    teamIds.length
      ? db
          .select({ teamId: teamMembers.teamId })
          .from(teamMembers)
          .innerJoin(users, eq(users.id, teamMembers.userId))
          .where(and(inArray(teamMembers.teamId, teamIds), sql`${users.deactivatedAt} is null`))
      : [],
  ]);
  const issues: ProblemIssue[] = [];
  for (const ref of refs) {
    let why: string | null = null;
    if (ref.kind === 'person') {
      const person = people.find((p) => p.id === ref.id);
      why = !person
        ? `no person ${ref.id} in this workspace`
        : person.deactivatedAt
          ? `${ref.id} is deactivated`
          : null;
    } else if (!teamRows.some((t) => t.id === ref.id)) why = `no team ${ref.id} in this workspace`;
    else if (!members.some((m) => m.teamId === ref.id)) why = `team ${ref.id} has no active member`;
    if (why) issues.push({ path: ref.path, message: why, code: 'custom' });
  }
  if (issues.length) {
    throw new ProblemException(
      'validation',
      issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      issues,
    );
  }
}

/** Saves a new version of the routing (managers and admins); the references must all resolve. */
export async function saveRouting(tx: Executor, principal: Principal, document: RoutingDocument, now: Date) {
  await assertReferences(tx, principal.workspaceId, document);
  const current = await activeRouting(tx, principal.workspaceId);
  const version = current.version + 1;
  await tx.insert(routingRules).values({
    workspaceId: principal.workspaceId,
    version,
    document,
    createdAt: now,
    createdBy: principal.userId,
  });
  return { version, document, createdAt: now.toISOString(), createdBy: principal.userId } satisfies Routing;
}

/**
 * Everything a decision reads, counted in the caller's (writing) transaction: people with their open
 * leads and today's new ones, the teams the document names with their 30-day assignment counts, and
 * the account's owner. Counting rows here, not keeping counters, is what keeps two API processes fair.
 */
export async function loadRoutingState(
  tx: Executor,
  workspaceId: string,
  document: RoutingDocument,
  lead: { id: string | null; accountKey: string | null },
  now: Date,
): Promise<RoutingState> {
  const teamIds = referencesOf(document)
    .filter((ref) => ref.kind === 'team')
    .map((ref) => ref.id);
  const since = new Date(now.getTime() - SHARE_WINDOW_MS);
  const [{ users: userRows, teams: teamRows, members: memberRows }, open, history, account] =
    await Promise.all([
      roster(tx, workspaceId, teamIds),
      // Kept by triggers on `leads` (owner_open_leads): one row a person, whatever the workspace's size.
      tx
        .select({ ownerId: ownerOpenLeads.ownerId, count: ownerOpenLeads.openCount })
        .from(ownerOpenLeads)
        .where(eq(ownerOpenLeads.workspaceId, workspaceId)),
      teamIds.length
        ? tx
            .select({
              teamId: leadAssignments.teamId,
              ownerId: leadAssignments.ownerId,
              count: sql<number>`count(*)`,
              lastAt: sql<number>`max(${leadAssignments.at})`,
            })
            .from(leadAssignments)
            .where(
              and(
                eq(leadAssignments.workspaceId, workspaceId),
                inArray(leadAssignments.teamId, teamIds),
                gte(leadAssignments.at, since),
              ),
            )
            .groupBy(leadAssignments.teamId, leadAssignments.ownerId)
        : [],
      document.accountOwnershipFirst && lead.accountKey
        ? tx
            .select({ ownerId: leads.ownerId })
            .from(leads)
            .innerJoin(users, eq(users.id, leads.ownerId))
            .where(
              and(
                eq(leads.workspaceId, workspaceId),
                eq(leads.accountKey, lead.accountKey),
                sql`${users.deactivatedAt} is null`,
                ...(lead.id ? [ne(leads.id, lead.id)] : []),
              ),
            )
            .orderBy(desc(leads.createdAt))
            .limit(1)
        : [],
    ]);
  const today = await assignedToday(tx, workspaceId, userRows, now);
  const openBy = new Map(open.map((row) => [row.ownerId, Number(row.count)]));
  const people = new Map<string, RoutingPerson>(
    userRows.map((row) => [
      row.id,
      {
        id: row.id,
        name: row.name,
        deactivated: !!row.deactivatedAt,
        awayUntil: row.awayUntil,
        calendar: workCalendar(row.timeZone, row.workingHours),
        openLeads: openBy.get(row.id) ?? 0,
        assignedToday: today.get(row.id) ?? 0,
      },
    ]),
  );
  const teamMap = new Map<string, RoutingTeam>(
    teamRows.map((row) => [
      row.id,
      {
        id: row.id,
        name: row.name,
        managerId: row.managerId,
        members: memberRows
          .filter((m) => m.teamId === row.id)
          .map((m) => ({ userId: m.userId, weight: m.weight, capPerDay: m.capPerDay, capOpen: m.capOpen })),
      },
    ]),
  );
  const historyMap = new Map<string, Map<string, { count: number; lastAt: number | null }>>();
  for (const row of history) {
    if (!row.teamId || !row.ownerId) continue;
    const byOwner = historyMap.get(row.teamId) ?? new Map();
    byOwner.set(row.ownerId, {
      count: Number(row.count),
      lastAt: row.lastAt === null ? null : Number(row.lastAt),
    });
    historyMap.set(row.teamId, byOwner);
  }
  return { people, teams: teamMap, history: historyMap, accountOwnerId: account[0]?.ownerId ?? null };
}

/** Leads given to each person since the start of their own day, one count per time zone in use. */
async function assignedToday(
  tx: Executor,
  workspaceId: string,
  people: (typeof users.$inferSelect)[],
  now: Date,
): Promise<Map<string, number>> {
  const byZone = new Map<string, string[]>();
  for (const person of people) {
    if (person.deactivatedAt) continue;
    byZone.set(person.timeZone, [...(byZone.get(person.timeZone) ?? []), person.id]);
  }
  const counts = new Map<string, number>();
  for (const [zone, ids] of byZone) {
    const start = startOfLocalDay(zone, now);
    const rows = await tx
      .select({ ownerId: leadAssignments.ownerId, count: sql<number>`count(*)` })
      .from(leadAssignments)
      .where(
        and(
          eq(leadAssignments.workspaceId, workspaceId),
          inArray(leadAssignments.ownerId, ids),
          gte(leadAssignments.at, start),
          ne(leadAssignments.cause, 'deactivated'),
        ),
      )
      .groupBy(leadAssignments.ownerId);
    for (const row of rows) if (row.ownerId) counts.set(row.ownerId, Number(row.count));
  }
  return counts;
}

export interface RouteOptions {
  origin: LeadOrigin;
  creatorId: string;
  exclude?: string[];
  /** A draft document instead of the one in force (the dry run). */
  draft?: RoutingDocument;
}

/** The decision for a lead, changing nothing: what routing would do now. */
export async function decideFor(
  tx: Executor,
  workspaceId: string,
  lead: { row: LeadRow | null; fields: ConditionLead; accountKey: string | null },
  options: RouteOptions,
  now: Date,
): Promise<RoutingTrace | null> {
  const routing = options.draft
    ? { version: -1, document: options.draft }
    : await activeRouting(tx, workspaceId);
  if (routing.version === 0) return null;
  const state = await loadRoutingState(
    tx,
    workspaceId,
    routing.document,
    { id: lead.row?.id ?? null, accountKey: lead.accountKey },
    now,
  );
  return decideRouting(routing.document, routing.version, lead.fields, options, state, now);
}

/**
 * Routes a stored lead by the rules in force and gives it to the winner (recorded with the whole
 * trace); null when the workspace has no routing yet.
 */
export async function routeLead(
  tx: Executor,
  principal: Actor,
  lead: LeadRow,
  score: LeadScore | undefined,
  cause: AssignmentCause,
  options: RouteOptions,
  now: Date,
): Promise<{ row: LeadRow; trace: RoutingTrace } | null> {
  const trace = await decideFor(
    tx,
    principal.workspaceId,
    { row: lead, fields: conditionLead(lead, score), accountKey: lead.accountKey },
    options,
    now,
  );
  if (!trace) return null;
  const row = await assignLead(tx, principal, lead, trace.ownerId, cause, now, trace);
  return { row, trace };
}

/** The stages on which some rule asks for the lead to be routed again (the hand-off to sales). */
export function reroutesOn(document: RoutingDocument, stage: string): boolean {
  return document.rules.some((rule) => rule.onStages.includes(stage as never));
}
