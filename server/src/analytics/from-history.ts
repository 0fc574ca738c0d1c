import {
  type Funnel,
  type LeadVelocity,
  MS_PER_DAY,
  OUTBOUND_TOUCHPOINT_TYPES,
  type Outcomes,
  type RepActivity,
  type Sources,
  type SpeedToLead,
  type StageProbabilities,
} from '@leadline/shared';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { speedBucketSums } from './analytics.service';
import { inRange, leadFilter, monthOf, reachCte, type Scope, stageRank, stagesFrom } from './analytics.sql';
import {
  type ActivityRow,
  activityFigures,
  type ClosedRow,
  type CohortRow,
  funnelFigures,
  HOUR_MS,
  MINUTE_MS,
  outcomeFigures,
  type SpeedRow,
  type StayRow,
  speedFigures,
  velocityFigures,
} from './figures';
import { activityFromTouchpoints, rangeWeeks } from './rep-activity.service';
import { type SourceRow, sourceCosts, sourcesFigures } from './sources.service';

/*
 * Every figure computed from the history alone (leads, stage_changes, touchpoints), by the queries
 * that answered the endpoints before the rollup tables of migration 0021. Nothing serves requests
 * from here: rollups.property.test.ts holds the endpoints equal to these after random writes, so the
 * definitions in docs/analytics.md stay what these queries say. The rows go through the same
 * functions (figures.ts) as the endpoints' own.
 */

export async function funnelFromHistory(db: Executor, scope: Scope): Promise<Funnel> {
  const cohorts = await db.all<CohortRow>(sql`
    with ${reachCte(scope)}
    select ${monthOf(sql`created_at`)} as month, count(*) as n0, sum(r >= 1) as n1, sum(r >= 2) as n2,
      sum(r >= 3) as n3, sum(r >= 4) as n4
    from reach group by month order by month`);
  const stays = await db.all<StayRow>(sql`
    with changes as (
      select sc.lead_id, sc.to_stage, sc.at, lead(sc.at) over (partition by sc.lead_id order by sc.at) as next_at
      from stage_changes sc
      where sc.lead_id in (select l.id from leads l where ${leadFilter(scope)} and ${inRange(sql`l.created_at`, scope)})
    ),
    d as materialized (
      select c.to_stage as stage, (case
          when c.next_at is null then null
          when c.next_at > c.at then c.next_at
          else (select min(n.at) from stage_changes n where n.lead_id = c.lead_id and n.at > c.at) end) - c.at as ms
      from changes c
      where c.to_stage in ('new', 'mql', 'sql', 'opportunity') and c.next_at is not null
    ),
    counts as materialized (
      select sum(stage = 'new') as c0, sum(stage = 'mql') as c1, sum(stage = 'sql') as c2,
        sum(stage = 'opportunity') as c3
      from d where ms is not null
    ),
    ranked as (
      select stage, ms, row_number() over (partition by stage order by ms) as rn,
        (select case d.stage when 'new' then c0 when 'mql' then c1 when 'sql' then c2 else c3 end from counts) as n
      from d where ms is not null
    )
    select stage, n, avg(ms) as median from ranked where rn in ((n + 1) / 2, (n + 2) / 2) group by stage`);
  return funnelFigures(scope, cohorts, stays);
}

export async function velocityFromHistory(db: Executor, scope: Scope): Promise<LeadVelocity> {
  const rows = await db.all<{ month: string; qualified: number }>(sql`
    with q as materialized (
      select coalesce(
        (select sc.at from stage_changes sc where sc.lead_id = l.id and sc.to_stage in ${stagesFrom(1)}
          order by sc.at limit 1),
        case when ${stageRank(sql`l.stage`)} >= 1 then l.created_at end) as qa
      from leads l where ${leadFilter(scope)}
    )
    select ${monthOf(sql`qa`)} as month, count(*) as qualified
    from q where qa is not null and ${inRange(sql`qa`, scope)}
    group by month order by month`);
  return velocityFigures(scope, rows);
}

export async function speedFromHistory(db: Executor, scope: Scope): Promise<SpeedToLead> {
  const outbound = sql.join(
    [...OUTBOUND_TOUCHPOINT_TYPES].map((type) => sql`${type}`),
    sql`, `,
  );
  const [row] = await db.all<SpeedRow>(sql`
    with d as materialized (
      select max(0, (
        select t.occurred_at from touchpoints t
        where t.lead_id = l.id and t.type in (${outbound})
        order by t.occurred_at limit 1) - l.created_at) as ms
      from leads l where ${leadFilter(scope)} and ${inRange(sql`l.created_at`, scope)}
    ),
    ranked as materialized (
      select ms, row_number() over (order by ms) as rn, (select count(ms) from d) as n from d where ms is not null
    )
    select count(*) as leads, count(ms) as touched,
      sum(ms < ${5 * MINUTE_MS}) as w5, sum(ms < ${HOUR_MS}) as w60, sum(ms < ${MS_PER_DAY}) as w1440,
      (select avg(ms) from ranked where rn in ((n + 1) / 2, (n + 2) / 2)) as median,
      (select ms from ranked where rn = (9 * n + 9) / 10) as p90,
      ${speedBucketSums(sql`ms`)}
    from d`);
  return speedFigures(row);
}

export async function outcomesFromHistory(
  db: Executor,
  scope: Scope,
  probabilities: StageProbabilities,
): Promise<Outcomes> {
  const [closed] = await db.all<ClosedRow>(sql`
    with c as materialized (
      select l.stage, l.created_at, coalesce(
        (select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = l.stage),
        l.updated_at) as closed_at
      from leads l where ${leadFilter(scope)} and l.stage in ('won', 'lost')
    ),
    w as materialized (
      select closed_at - created_at as ms from c where stage = 'won' and ${inRange(sql`closed_at`, scope)}
    ),
    ranked as (select ms, row_number() over (order by ms) as rn, count(*) over () as n from w)
    select
      (select count(*) from w) as won,
      (select count(*) from c where stage = 'lost' and ${inRange(sql`closed_at`, scope)}) as lost,
      (select avg(ms) from w) as mean,
      (select avg(ms) from ranked where rn in ((n + 1) / 2, (n + 2) / 2)) as median`);
  const open = await db.all<{ stage: string; leads: number; value: number }>(sql`
    select l.stage, count(*) as leads, total(l.deal_value) as value
    from leads l where ${leadFilter(scope)} and l.stage in ('new', 'mql', 'sql', 'opportunity')
    group by l.stage`);
  return outcomeFigures(closed, open, probabilities);
}

export async function sourcesFromHistory(db: Executor, scope: Scope): Promise<Sources> {
  const leadRows = await db.all<SourceRow>(sql`
    with ${reachCte(scope)}
    select source_channel as channel, utm_source as utmSource, utm_campaign as utmCampaign,
      count(*) as leads, sum(r >= 1) as mqls, sum(r >= 2) as sqls, sum(stage = 'won') as won,
      total(case when stage = 'won' then deal_value end) as wonValue
    from reach group by source_channel, utm_source, utm_campaign`);
  return sourcesFigures(leadRows, await sourceCosts(db, scope));
}

export async function repActivityFromHistory(db: Executor, scope: Scope): Promise<RepActivity> {
  const rows = await db.all<ActivityRow>(sql`
    select * from (${activityFromTouchpoints(scope, rangeWeeks(scope), 'leads')}) order by week, userId, type`);
  const users = await db.all<{ id: string; name: string }>(
    sql`select id, name from users where workspace_id = ${scope.workspaceId}`,
  );
  return activityFigures(rows, users);
}
