import {
  type Funnel,
  type LeadVelocity,
  MS_PER_DAY,
  OPEN_STAGES,
  type Outcomes,
  SPEED_BUCKETS,
  type SpeedToLead,
  type StageProbabilities,
} from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { inMonths, inRange, medianOf, rollupFilter, type Scope } from './analytics.sql';
import {
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

/*
 * The figures from the rollup tables (migrations 0021 and 0022; docs/analytics.md, "How the figures are
 * kept"): one compact row per lead in lead_facts, one per stay in lead_stays. Each query walks one
 * covering index in the order it groups or ranks by (`indexed by`, so the plan does not depend on
 * what ANALYZE has seen), and medians are exact: an index walk to the middle row.
 */

/**
 * The funnel's cohorts by month of creation. Without an owner, channel or campaign filter they come
 * from funnel_days (the range is always whole UTC days), a row a day; with one, from a walk over the
 * range's lead_facts.
 */
function cohorts(db: Executor, scope: Scope): Promise<CohortRow[]> {
  if (scope.owner === null && scope.channel === null && scope.campaign === null) {
    const inDays = [sql`d.workspace_id = ${scope.workspaceId}`];
    if (scope.fromMs !== null) inDays.push(sql`d.day >= ${Math.floor(scope.fromMs / MS_PER_DAY)}`);
    if (scope.toMs !== null) inDays.push(sql`d.day < ${Math.ceil(scope.toMs / MS_PER_DAY)}`);
    return db.all<CohortRow>(sql`
      select strftime('%Y-%m', d.day * 86400, 'unixepoch') as month, sum(d.n0) as n0, sum(d.n1) as n1,
        sum(d.n2) as n2, sum(d.n3) as n3, sum(d.n4) as n4
      from funnel_days d where ${sql.join(inDays, sql` and `)}
      group by 1 order by 1`);
  }
  return db.all<CohortRow>(sql`
    select f.created_month as month, count(*) as n0, sum(f.reach >= 1) as n1, sum(f.reach >= 2) as n2,
      sum(f.reach >= 3) as n3, sum(f.reach >= 4) as n4
    from lead_facts f indexed by lead_facts_cohort_idx
    where ${rollupFilter(scope, 'f')} and ${inMonths(sql`f.created_month`, scope)}
      and ${inRange(sql`f.created_at`, scope)}
    group by f.created_month order by f.created_month`);
}

export async function funnel(db: Executor, scope: Scope): Promise<Funnel> {
  const cohortRows = await cohorts(db, scope);

  // A stay starts at a change into a stage and ends at the lead's next later change; stays still
  // open (ms null) are left out, their length is not known yet.
  const stayOf = (stage: string) => {
    const from = sql`from lead_stays s indexed by lead_stays_median_idx
      where ${rollupFilter(scope, 's')} and s.stage = ${stage} and s.ms is not null
        and ${inRange(sql`s.created_at`, scope)}`;
    const count = sql.raw(`(select n from c_${stage})`);
    return {
      cte: sql`${sql.raw(`c_${stage}`)}(n) as (select count(*) ${from})`,
      row: sql`select ${stage} as stage, ${count} as n, ${medianOf(sql`s.ms`, from, count)} as median`,
    };
  };
  const parts = OPEN_STAGES.map(stayOf);
  const stays = await db.all<StayRow>(sql`
    with ${sql.join(
      parts.map((part) => part.cte),
      sql`, `,
    )}
    select * from (${sql.join(
      parts.map((part) => part.row),
      sql` union all `,
    )}) where n > 0`);
  return funnelFigures(scope, cohortRows, stays);
}

/**
 * Qualified leads per month: a lead counts once, in the month of its first change into MQL or a later
 * funnel stage (a lead with no such change whose current stage is MQL or later: its creation month).
 */
export async function velocity(db: Executor, scope: Scope): Promise<LeadVelocity> {
  const rows = await db.all<{ month: string; qualified: number }>(sql`
    select f.qualified_month as month, count(*) as qualified
    from lead_facts f indexed by lead_facts_qualified_idx
    where ${rollupFilter(scope, 'f')} and ${inMonths(sql`f.qualified_month`, scope)}
      and ${inRange(sql`f.qualified_at`, scope)}
    group by f.qualified_month order by f.qualified_month`);
  return velocityFigures(scope, rows);
}

/** Buckets of `ms` as `b0`..: lower-bound inclusive. */
export function speedBucketSums(ms: SQL): SQL {
  return sql.join(
    SPEED_BUCKETS.map(
      (bucket, i) =>
        sql`sum(${ms} >= ${bucket.min * MINUTE_MS}${bucket.max === null ? sql`` : sql` and ${ms} < ${bucket.max * MINUTE_MS}`}) as ${sql.raw(`b${i}`)}`,
    ),
    sql`, `,
  );
}

/**
 * Minutes from each lead's creation to its first outbound touch (a touch logged before the lead was
 * saved counts as 0), over the leads created in the range.
 */
export async function speedToLead(db: Executor, scope: Scope): Promise<SpeedToLead> {
  const touched = sql`from lead_facts f indexed by lead_facts_speed_idx
    where ${rollupFilter(scope, 'f')} and f.speed_ms is not null and ${inRange(sql`f.created_at`, scope)}`;
  const n = sql`(select n from touched)`;
  // The nearest-rank 90th percentile is the (n - rank + 1)-th longest: a tenth of the walk from the top.
  const [row] = await db.all<SpeedRow>(sql`
    with touched(n) as (select count(*) ${touched})
    select count(*) as leads, count(f.speed_ms) as touched,
      sum(f.speed_ms < ${5 * MINUTE_MS}) as w5, sum(f.speed_ms < ${HOUR_MS}) as w60,
      sum(f.speed_ms < ${MS_PER_DAY}) as w1440,
      ${medianOf(sql`f.speed_ms`, touched, n)} as median,
      (select f.speed_ms ${touched} order by f.speed_ms desc limit 1 offset ${n} - (9 * ${n} + 9) / 10) as p90,
      ${speedBucketSums(sql`f.speed_ms`)}
    from lead_facts f indexed by lead_facts_cohort_idx
    where ${rollupFilter(scope, 'f')} and ${inMonths(sql`f.created_month`, scope)}
      and ${inRange(sql`f.created_at`, scope)}`);
  return speedFigures(row);
}

/**
 * Closed leads are those whose current stage is won or lost; they closed at their latest change into
 * that stage (or, with no such change on record, when the lead was last updated).
 */
export async function outcomes(
  db: Executor,
  scope: Scope,
  probabilities: StageProbabilities,
): Promise<Outcomes> {
  const closed = (stage: 'won' | 'lost') => sql`from lead_facts f indexed by lead_facts_stage_idx
    where ${rollupFilter(scope, 'f')} and f.stage = ${stage} and ${inRange(sql`f.closed_at`, scope)}`;
  const [row] = await db.all<ClosedRow>(sql`
    with won(n) as (select count(*) ${closed('won')})
    select (select n from won) as won, (select count(*) ${closed('lost')}) as lost,
      (select avg(f.closed_at - f.created_at) ${closed('won')}) as mean,
      ${medianOf(sql`f.closed_at - f.created_at`, closed('won'), sql`(select n from won)`)} as median`);
  const open = await db.all<{ stage: string; leads: number; value: number }>(sql`
    select f.stage, count(*) as leads, total(f.deal_value) as value
    from lead_facts f indexed by lead_facts_stage_idx
    where ${rollupFilter(scope, 'f')} and f.stage in ('new', 'mql', 'sql', 'opportunity')
    group by f.stage`);
  return outcomeFigures(row, open, probabilities);
}
