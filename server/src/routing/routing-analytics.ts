import { MS_PER_DAY, OUTBOUND_TOUCHPOINT_TYPES } from '@leadline/shared';
import type { RoutingAnalytics, RoutingAnalyticsQuery, RoutingRep } from '@leadline/shared/routing';
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { teamMembers, teams, users } from '../db/schema';

const MINUTE_MS = 60_000;
const OUTBOUND = sql.join(
  [...OUTBOUND_TOUCHPOINT_TYPES].map((type) => sql`${type}`),
  sql`, `,
);

/** `a.at` within the query's UTC days (`to` inclusive); no condition when the range is open. */
function inRange(query: RoutingAnalyticsQuery): SQL {
  const parts = [sql`1`];
  if (query.from) parts.push(sql`a.at >= ${Date.parse(`${query.from}T00:00:00Z`)}`);
  if (query.to) parts.push(sql`a.at < ${Date.parse(`${query.to}T00:00:00Z`) + MS_PER_DAY}`);
  return sql.join(parts, sql` and `);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Per rep over the assignments made in the range: leads a team's rules gave them against their
 * weighted share of those teams' assignments (the teams' current active members and weights), every
 * assignment to them, the SLAs they missed, and the median wall-clock minutes from an assignment to
 * the lead's first outbound touch while it was theirs (before its next assignment).
 */
export async function routingAnalytics(
  db: Executor,
  workspaceId: string,
  query: RoutingAnalyticsQuery,
): Promise<RoutingAnalytics> {
  const range = inRange(query);
  const [byTeam, any, breaches, touches, members] = await Promise.all([
    db.all<{ teamId: string; ownerId: string; n: number }>(sql`
      select a.team_id as teamId, a.owner_id as ownerId, count(*) as n from lead_assignments a
      where a.workspace_id = ${workspaceId} and a.team_id is not null and a.owner_id is not null and ${range}
      group by a.team_id, a.owner_id`),
    db.all<{ ownerId: string; n: number }>(sql`
      select a.owner_id as ownerId, count(*) as n from lead_assignments a
      where a.workspace_id = ${workspaceId} and a.owner_id is not null and ${range}
      group by a.owner_id`),
    db.all<{ ownerId: string; n: number }>(sql`
      select a.from_owner_id as ownerId, count(*) as n from lead_assignments a
      where a.workspace_id = ${workspaceId} and a.cause in ('sla_breach', 'sla_escalation')
        and a.from_owner_id is not null and ${range}
      group by a.from_owner_id`),
    db.all<{ ownerId: string; touched: number; median: number | null }>(sql`
      with d as materialized (
        select a.owner_id as owner, (
          select min(t.occurred_at) from touchpoints t
          where t.lead_id = a.lead_id and t.type in (${OUTBOUND}) and t.occurred_at >= a.at
            and t.occurred_at < coalesce((
              select min(n.at) from lead_assignments n
              where n.lead_id = a.lead_id and (n.at > a.at or (n.at = a.at and n.rowid > a.rowid))
            ), 9e15)
        ) - a.at as ms
        from lead_assignments a
        where a.workspace_id = ${workspaceId} and a.owner_id is not null and ${range}
      ),
      ranked as materialized (
        select owner, ms, row_number() over (partition by owner order by ms) as rn,
          count(*) over (partition by owner) as n
        from d where ms is not null
      )
      select owner as ownerId, max(n) as touched, avg(ms) as median from ranked
      where rn in ((n + 1) / 2, (n + 2) / 2)
      group by owner`),
    db
      .select({ teamId: teamMembers.teamId, userId: teamMembers.userId, weight: teamMembers.weight })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teams.workspaceId, workspaceId), isNull(users.deactivatedAt))),
  ]);

  const reps = new Map<string, Omit<RoutingRep, 'name' | 'overShare'>>();
  const rep = (userId: string) => {
    let row = reps.get(userId);
    if (!row) {
      row = {
        userId,
        assigned: 0,
        share: 0,
        assignedAny: 0,
        slaBreaches: 0,
        touched: 0,
        medianMinutesToFirstTouch: null,
      };
      reps.set(userId, row);
    }
    return row;
  };
  const teamTotals = new Map<string, number>();
  for (const row of byTeam) {
    rep(row.ownerId).assigned += Number(row.n);
    teamTotals.set(row.teamId, (teamTotals.get(row.teamId) ?? 0) + Number(row.n));
  }
  const teamWeights = new Map<string, number>();
  for (const member of members) {
    teamWeights.set(member.teamId, (teamWeights.get(member.teamId) ?? 0) + member.weight);
  }
  for (const member of members) {
    const total = teamTotals.get(member.teamId) ?? 0;
    const weights = teamWeights.get(member.teamId) ?? 0;
    rep(member.userId).share += weights > 0 ? (total * member.weight) / weights : 0;
  }
  for (const row of any) rep(row.ownerId).assignedAny = Number(row.n);
  for (const row of breaches) rep(row.ownerId).slaBreaches = Number(row.n);
  for (const row of touches) {
    const figures = rep(row.ownerId);
    figures.touched = Number(row.touched);
    figures.medianMinutesToFirstTouch = row.median === null ? null : round2(Number(row.median) / MINUTE_MS);
  }

  const ids = [...reps.keys()];
  const names = new Map(
    ids.length
      ? (
          await db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids)))
        ).map((row) => [row.id, row.name])
      : [],
  );
  return {
    reps: [...reps.values()]
      .map((row) => ({
        ...row,
        name: names.get(row.userId) ?? row.userId,
        share: round2(row.share),
        overShare: round2(row.assigned - row.share),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1)),
  };
}
