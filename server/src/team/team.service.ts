import { CLOSED_STAGES } from '@leadline/shared';
import type { Deactivate, Invite, Person, PersonPatch } from '@leadline/shared/team';
import { and, asc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import { issueToken } from '../auth/issue-token';
import { authorize } from '../auth/permissions';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import { apiTokens, leads, ownerOpenLeads, teamMembers, teams, users } from '../db/schema';
import { invalidInput, ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { assignLead, handTrace } from '../routing/assign';
import { activeRouting, routeLead } from '../routing/routing.service';

type UserRow = typeof users.$inferSelect;

/** The workspace's people, active first then by name, each with tokens, open leads and teams. */
export async function listPeople(db: Executor, workspaceId: string): Promise<Person[]> {
  const [rows, tokens, open, members] = await Promise.all([
    db
      .select()
      .from(users)
      .where(eq(users.workspaceId, workspaceId))
      .orderBy(sql`${users.deactivatedAt} is not null`, asc(users.name)),
    db
      .select({
        id: apiTokens.id,
        userId: apiTokens.userId,
        label: apiTokens.label,
        createdAt: apiTokens.createdAt,
      })
      .from(apiTokens)
      .where(eq(apiTokens.workspaceId, workspaceId))
      .orderBy(asc(apiTokens.createdAt)),
    // The open-lead counters routing reads (kept by triggers on leads), not a count of every lead.
    db
      .select({ ownerId: ownerOpenLeads.ownerId, count: ownerOpenLeads.openCount })
      .from(ownerOpenLeads)
      .where(eq(ownerOpenLeads.workspaceId, workspaceId)),
    db
      .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teams.workspaceId, workspaceId)),
  ]);
  const openBy = new Map(open.map((row) => [row.ownerId, Number(row.count)]));
  return rows.map((row) =>
    toPerson(row, {
      openLeads: openBy.get(row.id) ?? 0,
      tokens: tokens.filter((token) => token.userId === row.id),
      teamIds: members.filter((member) => member.userId === row.id).map((member) => member.teamId),
    }),
  );
}

export async function getPerson(db: Executor, workspaceId: string, id: string): Promise<Person> {
  const person = (await listPeople(db, workspaceId)).find((row) => row.id === id);
  if (!person) throw new ProblemException('not-found', `No person ${id} in this workspace`);
  return person;
}

function toPerson(
  row: UserRow,
  extra: {
    openLeads: number;
    tokens: { id: string; label: string | null; createdAt: Date }[];
    teamIds: string[];
  },
): Person {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    timeZone: row.timeZone,
    workingHours: row.workingHours ?? null,
    awayUntil: row.awayUntil?.toISOString() ?? null,
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
    openLeads: extra.openLeads,
    tokens: extra.tokens.map((token) => ({
      id: token.id,
      label: token.label,
      createdAt: token.createdAt.toISOString(),
    })),
    teamIds: extra.teamIds,
  };
}

async function findUser(db: Executor, workspaceId: string, id: string): Promise<UserRow> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)));
  if (!row) throw new ProblemException('not-found', `No person ${id} in this workspace`);
  return row;
}

/** A new person and their first token (the token is returned once, never stored). */
export async function invitePerson(tx: Executor, workspaceId: string, input: Invite, now: Date) {
  const userId = newId();
  await tx.insert(users).values({
    id: userId,
    workspaceId,
    name: input.name,
    email: input.email ?? null,
    role: input.role ?? 'rep',
    timeZone: input.timeZone ?? 'UTC',
    workingHours: input.workingHours ?? null,
    createdAt: now,
  });
  const { row, token } = await issueToken(tx, { workspaceId, userId, label: 'Invite' }, now);
  return { person: await getPerson(tx, workspaceId, userId), token, tokenId: row.id };
}

const lastAdmin = (id: string) =>
  new ProblemException(
    'conflict',
    `${id} is the workspace's last admin: make someone else an admin first`,
    undefined,
    {
      reason: 'last-admin',
    },
  );

/**
 * Whether another active admin than `exceptId` exists: the condition of every write that could
 * leave the workspace without one, evaluated inside that write (two demotions at once cannot both
 * pass).
 */
const anotherAdmin = (workspaceId: string, exceptId: string) =>
  sql`exists (select 1 from ${users} as other where other.workspace_id = ${workspaceId} and other.role = 'admin' and other.deactivated_at is null and other.id <> ${exceptId})`;

/**
 * Changes a person: the name and role need an admin (`people.manage`), the availability a manager
 * or admin, or the person themselves (`availability.change`). The last active admin keeps the role.
 */
export async function updatePerson(
  tx: Executor,
  principal: Principal,
  id: string,
  patch: PersonPatch,
): Promise<Person> {
  const { workspaceId } = principal;
  const before = await findUser(tx, workspaceId, id);
  const { name, role, ...availability } = patch;
  if ((name !== undefined && name !== before.name) || (role !== undefined && role !== before.role)) {
    authorize(principal, 'people.manage');
  }
  if (Object.keys(availability).length)
    authorize(principal, 'availability.change', { ownerId: null, personId: id });
  if (before.deactivatedAt) {
    throw new ProblemException(
      'conflict',
      `${before.name} is deactivated: nothing of theirs changes any more`,
    );
  }
  const set = {
    ...(name !== undefined ? { name } : {}),
    ...(role !== undefined ? { role } : {}),
    ...(availability.timeZone !== undefined ? { timeZone: availability.timeZone } : {}),
    ...(availability.workingHours !== undefined ? { workingHours: availability.workingHours } : {}),
    ...(availability.awayUntil !== undefined
      ? { awayUntil: availability.awayUntil === null ? null : new Date(availability.awayUntil) }
      : {}),
  };
  if (Object.keys(set).length) {
    const demotes = before.role === 'admin' && role !== undefined && role !== 'admin';
    const updated = await tx
      .update(users)
      .set(set)
      .where(
        and(
          eq(users.id, id),
          eq(users.workspaceId, workspaceId),
          ...(demotes ? [anotherAdmin(workspaceId, id)] : []),
        ),
      )
      .returning({ id: users.id });
    if (!updated.length) throw lastAdmin(id);
  }
  return getPerson(tx, workspaceId, id);
}

/**
 * Deactivates a person: every token of theirs is revoked (the next request with one is a 401), their
 * open leads go to the named colleague or the unassigned queue (each recorded as an assignment),
 * and routing skips them from then on; what they did stays theirs in the history.
 */
export async function deactivatePerson(
  tx: Executor,
  principal: Principal,
  id: string,
  input: Deactivate,
  now: Date,
) {
  const { workspaceId } = principal;
  const person = await findUser(tx, workspaceId, id);
  if (person.deactivatedAt) throw new ProblemException('conflict', `${person.name} is already deactivated`);
  let to: string | null = null;
  if (input.openLeads.to === 'colleague') {
    to = input.openLeads.userId;
    const colleague = await tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(and(eq(users.workspaceId, workspaceId), eq(users.id, to)));
    const why =
      to === id
        ? 'the colleague must be someone else'
        : !colleague[0]
          ? `no person ${to} in this workspace`
          : colleague[0].deactivatedAt
            ? `${to} is deactivated`
            : null;
    if (why) throw invalidInput([{ path: ['openLeads', 'userId'], message: why, code: 'custom' }]);
  }
  const done = await tx
    .update(users)
    .set({ deactivatedAt: now })
    .where(
      and(
        eq(users.id, id),
        eq(users.workspaceId, workspaceId),
        isNull(users.deactivatedAt),
        ...(person.role === 'admin' ? [anotherAdmin(workspaceId, id)] : []),
      ),
    )
    .returning({ id: users.id });
  if (!done.length) throw lastAdmin(id);
  const revoked = await tx.delete(apiTokens).where(eq(apiTokens.userId, id)).returning({ id: apiTokens.id });
  const open = await tx
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.workspaceId, workspaceId),
        eq(leads.ownerId, id),
        notInArray(leads.stage, [...CLOSED_STAGES]),
      ),
    );
  const byRouting = input.openLeads.to === 'routing';
  if (byRouting && (await activeRouting(tx, workspaceId)).version === 0) {
    throw new ProblemException(
      'conflict',
      'This workspace has no routing rules yet: give the open leads to a colleague or the queue',
    );
  }
  const options = { origin: 'api' as const, creatorId: principal.userId, exclude: [id] };
  for (const lead of open) {
    if (byRouting) await routeLead(tx, principal, lead, undefined, 'deactivated', options, now);
    else {
      const why = to
        ? 'their owner was deactivated: given to a colleague'
        : 'their owner was deactivated: to the queue';
      await assignLead(tx, principal, lead, to, 'deactivated', now, handTrace('manual', to, why));
    }
    await emitEvent(tx, workspaceId, 'lead.updated', lead.id, {}, now);
  }
  return {
    person: await getPerson(tx, workspaceId, id),
    leadsMoved: open.length,
    tokensRevoked: revoked.length,
  };
}
