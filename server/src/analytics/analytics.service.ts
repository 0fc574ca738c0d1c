import {
  FUNNEL_STAGES,
  type Funnel,
  type LeadVelocity,
  MS_PER_DAY,
  OPEN_STAGES,
  OUTBOUND_TOUCHPOINT_TYPES,
  type Outcomes,
  type RepActivity,
  SPEED_BUCKETS,
  type SpeedToLead,
  type StageProbabilities,
} from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  calendar,
  inRange,
  isPartialMonth,
  leadFilter,
  monthOf,
  ratio,
  reachCte,
  type Scope,
  stageRank,
  stagesFrom,
} from './analytics.sql';

const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export async function funnel(db: Executor, scope: Scope): Promise<Funnel> {
  const cohorts = await db.all<{
    month: string;
    n0: number;
    n1: number;
    n2: number;
    n3: number;
    n4: number;
  }>(sql`
    with ${reachCte(scope)}
    select ${monthOf(sql`created_at`)} as month, count(*) as n0, sum(r >= 1) as n1, sum(r >= 2) as n2,
      sum(r >= 3) as n3, sum(r >= 4) as n4
    from reach group by month order by month`);

  // A stay starts at a change into a stage and ends at the lead's next later change; stays still
  // open are left out (their length is not known yet).
  // The cohort's changes come from stage_changes_lead_idx (lead, time, stage) in lead and time order,
  // so the next change is the window's next row, with no sort; only when that one is at the same
  // moment is the next later one looked up.
  const stays = await db.all<{ stage: string; n: number; median: number }>(sql`
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

  const byMonth = new Map(cohorts.map((row) => [row.month, row]));
  const totals = [0, 0, 0, 0, 0];
  for (const row of cohorts) {
    [row.n0, row.n1, row.n2, row.n3, row.n4].forEach((n, i) => {
      totals[i]! += n;
    });
  }
  const stayBy = new Map(stays.map((row) => [row.stage, row]));
  return {
    steps: FUNNEL_STAGES.map((stage, i) => {
      const stay = stayBy.get(stage);
      return {
        stage,
        reached: totals[i]!,
        stepRate: i === 0 ? null : ratio(totals[i]!, totals[i - 1]!),
        overallRate: ratio(totals[i]!, totals[0]!),
        medianHoursInStage: stay ? stay.median / HOUR_MS : null,
        stays: stay?.n ?? 0,
      };
    }),
    cohorts: calendar(
      scope,
      cohorts.map((row) => row.month),
    ).map((month) => {
      const row = byMonth.get(month);
      return {
        month,
        partial: isPartialMonth(scope, month),
        reached: {
          new: row?.n0 ?? 0,
          mql: row?.n1 ?? 0,
          sql: row?.n2 ?? 0,
          opportunity: row?.n3 ?? 0,
          won: row?.n4 ?? 0,
        },
      };
    }),
  };
}

/**
 * Qualified leads per month: a lead counts once, in the month of its first change into MQL or a later
 * funnel stage (a lead with no such change whose current stage is MQL or later: its creation month).
 */
export async function velocity(db: Executor, scope: Scope): Promise<LeadVelocity> {
  const rows = await db.all<{ month: string; qualified: number }>(sql`
    with q as materialized (
      -- Materialized so the lookup runs once per lead; it walks the lead's changes in time order
      -- (stage_changes_lead_idx) and stops at the first qualifying one.
      select coalesce(
        (select sc.at from stage_changes sc where sc.lead_id = l.id and sc.to_stage in ${stagesFrom(1)}
          order by sc.at limit 1),
        case when ${stageRank(sql`l.stage`)} >= 1 then l.created_at end) as qa
      from leads l where ${leadFilter(scope)}
    )
    select ${monthOf(sql`qa`)} as month, count(*) as qualified
    from q where qa is not null and ${inRange(sql`qa`, scope)}
    group by month order by month`);
  const byMonth = new Map(rows.map((row) => [row.month, row.qualified]));
  let previous: number | null = null;
  return {
    months: calendar(
      scope,
      rows.map((row) => row.month),
    ).map((month) => {
      const qualified = byMonth.get(month) ?? 0;
      const partial = isPartialMonth(scope, month);
      // A partial month (or one after a partial month) compared with a whole one is no change.
      const lvr = previous === null || partial ? null : ratio(qualified - previous, previous);
      previous = partial ? null : qualified;
      return { month, qualified, partial, lvr };
    }),
  };
}

/**
 * Minutes from each lead's creation to its first outbound touch (a touch logged before the lead was
 * saved counts as 0), over the leads created in the range.
 */
export async function speedToLead(db: Executor, scope: Scope): Promise<SpeedToLead> {
  const outbound = sql.join(
    [...OUTBOUND_TOUCHPOINT_TYPES].map((type) => sql`${type}`),
    sql`, `,
  );
  const bucketSums = sql.join(
    SPEED_BUCKETS.map(
      (bucket, i) =>
        sql`sum(ms >= ${bucket.min * MINUTE_MS}${bucket.max === null ? sql`` : sql` and ms < ${bucket.max * MINUTE_MS}`}) as ${sql.raw(`b${i}`)}`,
    ),
    sql`, `,
  );
  const [row] = await db.all<Record<string, number | null>>(sql`
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
      ${bucketSums}
    from d`);
  const leads = row?.leads ?? 0;
  const touched = row?.touched ?? 0;
  const minutes = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? null : ms / MINUTE_MS;
  return {
    leads,
    touched,
    untouched: leads - touched,
    medianMinutes: minutes(row?.median),
    p90Minutes: minutes(row?.p90),
    within5m: ratio(row?.w5 ?? 0, leads),
    within1h: ratio(row?.w60 ?? 0, leads),
    within24h: ratio(row?.w1440 ?? 0, leads),
    buckets: [
      ...SPEED_BUCKETS.map((bucket, i) => ({
        label: bucket.label,
        minMinutes: bucket.min,
        maxMinutes: bucket.max,
        leads: row?.[`b${i}`] ?? 0,
      })),
      { label: 'untouched', minMinutes: null, maxMinutes: null, leads: leads - touched },
    ],
  };
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
  const [closed] = await db.all<{
    won: number;
    lost: number;
    mean: number | null;
    median: number | null;
  }>(sql`
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
  const openBy = new Map(open.map((row) => [row.stage, row]));
  const byStage = OPEN_STAGES.map((stage) => {
    const row = openBy.get(stage);
    const value = row?.value ?? 0;
    return {
      stage,
      leads: row?.leads ?? 0,
      value,
      probability: probabilities[stage],
      weightedValue: value * probabilities[stage],
    };
  });
  const won = closed?.won ?? 0;
  const lost = closed?.lost ?? 0;
  const days = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : ms / MS_PER_DAY);
  const opportunity = byStage[3]!;
  const sum = (pick: (stage: (typeof byStage)[number]) => number) =>
    byStage.reduce((total, stage) => total + pick(stage), 0);
  return {
    salesCycle: { won, medianDays: days(closed?.median), meanDays: days(closed?.mean) },
    winRate: { won, lost, rate: ratio(won, won + lost) },
    // Open and weighted pipeline sum the same leads (every open stage), so weighted never exceeds
    // open: it did when open counted only `opportunity` and weighted every open stage.
    pipeline: {
      openLeads: sum((stage) => stage.leads),
      value: sum((stage) => stage.value),
      weightedValue: sum((stage) => stage.weightedValue),
      openOpportunities: opportunity.leads,
      opportunityValue: opportunity.value,
      byStage,
    },
  };
}

const WEEK_MS = 7 * MS_PER_DAY;
/** 1970-01-05, the first Monday of the epoch. */
const FIRST_MONDAY_MS = 4 * MS_PER_DAY;

/**
 * Weeks since the epoch's first Monday, as SQLite's integer division gives them; the same expression
 * as the index touchpoints_ws_week_idx, which therefore serves the grouping without a sort.
 */
function weekOf(column: SQL): SQL {
  return sql`(${column} - ${sql.raw(String(FIRST_MONDAY_MS))}) / ${sql.raw(String(WEEK_MS))}`;
}

/** The ISO 8601 week of the week starting on `monday` (UTC), e.g. 2025-W07. */
export function isoWeek(monday: Date): string {
  const thursday = new Date(monday.getTime() + 3 * MS_PER_DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Touchpoints by the rep who logged them, type and ISO week of when they happened. `owner` filters on
 * that rep; `channel` on the touch's channel (else its lead's source channel); `campaign` on the lead.
 */
export async function repActivity(db: Executor, scope: Scope): Promise<RepActivity> {
  const needsLead = scope.channel !== null || scope.campaign !== null;
  const week = weekOf(sql`t.occurred_at`);
  const filters = [sql`t.workspace_id = ${scope.workspaceId}`];
  // The week bounds let the week index (touchpoints_ws_week_idx) serve the range in group order; the
  // exact range follows.
  if (scope.fromMs !== null)
    filters.push(sql`${week} >= ${Math.trunc((scope.fromMs - FIRST_MONDAY_MS) / WEEK_MS)}`);
  if (scope.toMs !== null)
    filters.push(sql`${week} <= ${Math.trunc((scope.toMs - 1 - FIRST_MONDAY_MS) / WEEK_MS)}`);
  filters.push(inRange(sql`t.occurred_at`, scope));
  if (scope.owner) filters.push(sql`t.user_id = ${scope.owner}`);
  if (scope.channel) filters.push(sql`coalesce(t.channel, l.source_channel) = ${scope.channel}`);
  if (scope.campaign) filters.push(sql`l.utm_campaign = ${scope.campaign}`);
  const rows = await db.all<{ week: number; userId: string | null; type: string; n: number }>(sql`
    select ${week} as week, t.user_id as userId, t.type, count(*) as n
    from touchpoints t ${needsLead ? sql`join leads l on l.id = t.lead_id` : sql``}
    where ${sql.join(filters, sql` and `)}
    group by week, t.user_id, t.type
    order by week, t.user_id, t.type`);
  const users = await db.all<{ id: string; name: string }>(
    sql`select id, name from users where workspace_id = ${scope.workspaceId}`,
  );
  const names = new Map(users.map((user) => [user.id, user.name]));
  const totals = new Map<string | null, number>();
  for (const row of rows) totals.set(row.userId, (totals.get(row.userId) ?? 0) + row.n);
  return {
    reps: [...totals]
      .map(([userId, touchpoints]) => ({
        userId,
        name: userId === null ? '(no rep)' : (names.get(userId) ?? userId),
        touchpoints,
      }))
      .sort((a, b) => b.touchpoints - a.touchpoints || a.name.localeCompare(b.name)),
    rows: rows.map((row) => {
      const monday = new Date(FIRST_MONDAY_MS + Math.floor(row.week) * WEEK_MS);
      return {
        week: isoWeek(monday),
        weekStart: monday.toISOString().slice(0, 10),
        userId: row.userId,
        type: row.type,
        touchpoints: row.n,
      };
    }),
  };
}
