import type { Team, TeamInput } from '@leadline/shared/team';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { newId } from '../db/ids';
import { teamMembers, teams, users } from '../db/schema';
import { invalidInput, ProblemException, type ProblemIssue } from '../lib/problem';

/** Teams: their people, weights and managers, as routing reads them (routing.service.ts). */

export async function listTeams(db: Executor, workspaceId: string): Promise<Team[]> {
  const [rows, members] = await Promise.all([
    db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.name)),
    db
      .select({ member: teamMembers })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(eq(teams.workspaceId, workspaceId))
      .orderBy(asc(users.name)),
  ]);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    managerId: row.managerId,
    members: members
      .filter(({ member }) => member.teamId === row.id)
      .map(({ member }) => ({
        userId: member.userId,
        weight: member.weight,
        capPerDay: member.capPerDay,
        capOpen: member.capOpen,
      })),
    createdAt: row.createdAt.toISOString(),
  }));
}

async function findTeam(db: Executor, workspaceId: string, id: string): Promise<Team> {
  const team = (await listTeams(db, workspaceId)).find((row) => row.id === id);
  if (!team) throw new ProblemException('not-found', `No team ${id} in this workspace`);
  return team;
}

/** 422 naming each member or manager who is not an active person of the workspace. */
async function assertTeamPeople(db: Executor, workspaceId: string, input: TeamInput) {
  const ids = [
    ...new Set([...input.members.map((m) => m.userId), ...(input.managerId ? [input.managerId] : [])]),
  ];
  const found = ids.length
    ? await db
        .select({ id: users.id, deactivatedAt: users.deactivatedAt })
        .from(users)
        .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids)))
    : [];
  const byId = new Map(found.map((row) => [row.id, row]));
  const problem = (userId: string) => {
    const row = byId.get(userId);
    return !row
      ? `no person ${userId} in this workspace`
      : row.deactivatedAt
        ? `${userId} is deactivated`
        : null;
  };
  const issues: ProblemIssue[] = [];
  input.members.forEach((member, i) => {
    const why = problem(member.userId);
    if (why) issues.push({ path: ['members', i, 'userId'], message: why, code: 'custom' });
  });
  const managerWhy = input.managerId ? problem(input.managerId) : null;
  if (managerWhy) issues.push({ path: ['managerId'], message: managerWhy, code: 'custom' });
  if (issues.length) throw invalidInput(issues);
}

async function assertNameFree(db: Executor, workspaceId: string, name: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(
      and(
        eq(teams.workspaceId, workspaceId),
        eq(teams.name, name),
        ...(exceptId ? [ne(teams.id, exceptId)] : []),
      ),
    );
  if (clash) throw new ProblemException('conflict', `A team named "${name}" already exists: ${clash.id}`);
}

async function writeMembers(tx: Executor, teamId: string, members: TeamInput['members']) {
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (!members.length) return;
  await tx.insert(teamMembers).values(
    members.map((member) => ({
      teamId,
      userId: member.userId,
      weight: member.weight ?? 1,
      capPerDay: member.capPerDay ?? null,
      capOpen: member.capOpen ?? null,
    })),
  );
}

export async function createTeam(
  tx: Executor,
  workspaceId: string,
  input: TeamInput,
  now: Date,
): Promise<Team> {
  await assertTeamPeople(tx, workspaceId, input);
  await assertNameFree(tx, workspaceId, input.name);
  const id = newId();
  await tx
    .insert(teams)
    .values({ id, workspaceId, name: input.name, managerId: input.managerId ?? null, createdAt: now });
  await writeMembers(tx, id, input.members);
  return findTeam(tx, workspaceId, id);
}

/** Replaces a team's name, manager and members (weights, caps) as one write. */
export async function replaceTeam(
  tx: Executor,
  workspaceId: string,
  id: string,
  input: TeamInput,
): Promise<Team> {
  await findTeam(tx, workspaceId, id);
  await assertTeamPeople(tx, workspaceId, input);
  await assertNameFree(tx, workspaceId, input.name, id);
  await tx
    .update(teams)
    .set({ name: input.name, managerId: input.managerId ?? null })
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, id)));
  await writeMembers(tx, id, input.members);
  return findTeam(tx, workspaceId, id);
}

export async function deleteTeam(tx: Executor, workspaceId: string, id: string) {
  const deleted = await tx
    .delete(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, id)))
    .returning({ id: teams.id });
  if (!deleted.length) throw new ProblemException('not-found', `No team ${id} in this workspace`);
}
