import { type AnalyticsQuery, MS_PER_DAY } from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';

/** The filters of one analytics request, resolved: the range is [fromMs, toMs) in epoch ms (UTC). */
export interface Scope {
  workspaceId: string;
  fromMs: number | null;
  toMs: number | null;
  /** The range's first and last month, `YYYY-MM`, for month-keyed data (costs, calendar fill). */
  fromMonth: string | null;
  toMonth: string | null;
  owner: string | null;
  channel: string | null;
  campaign: string | null;
  /** The moment the request is answered: a month not over by then is partial. */
  nowMs: number;
}

export function toScope(workspaceId: string, query: AnalyticsQuery, now = Date.now()): Scope {
  return {
    workspaceId,
    nowMs: now,
    fromMs: query.from ? Date.parse(`${query.from}T00:00:00Z`) : null,
    toMs: query.to ? Date.parse(`${query.to}T00:00:00Z`) + MS_PER_DAY : null,
    fromMonth: query.from?.slice(0, 7) ?? null,
    toMonth: query.to?.slice(0, 7) ?? null,
    owner: query.owner ?? null,
    channel: query.channel ?? null,
    campaign: query.campaign ?? null,
  };
}

/** The funnel position of a stage: new 0 .. won 4; -1 for stages off the funnel (lost, nurture...). */
export function stageRank(column: SQL): SQL {
  return sql`(case ${column} when 'new' then 0 when 'mql' then 1 when 'sql' then 2 when 'opportunity' then 3 when 'won' then 4 else -1 end)`;
}

/** Stages that mean a lead reached at least `rank` in the funnel. */
export function stagesFrom(rank: number): SQL {
  const stages = ['new', 'mql', 'sql', 'opportunity', 'won'].slice(rank);
  return sql.raw(`(${stages.map((stage) => `'${stage}'`).join(', ')})`);
}

/** The owner, channel and campaign filters on leads aliased `l` (always within the workspace). */
export function leadFilter(scope: Scope): SQL {
  const parts = [sql`l.workspace_id = ${scope.workspaceId}`];
  if (scope.owner) parts.push(sql`l.owner_id = ${scope.owner}`);
  if (scope.channel) parts.push(sql`l.source_channel = ${scope.channel}`);
  if (scope.campaign) parts.push(sql`l.utm_campaign = ${scope.campaign}`);
  return sql.join(parts, sql` and `);
}

/**
 * The owner, channel and campaign filters on a rollup table aliased `alias` (lead_facts, lead_stays:
 * the lead's columns under the same names), always within the workspace.
 */
export function rollupFilter(scope: Scope, alias: 'f' | 's'): SQL {
  const a = sql.raw(alias);
  const parts = [sql`${a}.workspace_id = ${scope.workspaceId}`];
  if (scope.owner) parts.push(sql`${a}.owner_id = ${scope.owner}`);
  if (scope.channel) parts.push(sql`${a}.source_channel = ${scope.channel}`);
  if (scope.campaign) parts.push(sql`${a}.utm_campaign = ${scope.campaign}`);
  return sql.join(parts, sql` and `);
}

/**
 * A `YYYY-MM` column within the range's months (no condition when open): implied by the range on the
 * time it is the month of, and what bounds an index walk that groups by the month.
 */
export function inMonths(column: SQL, scope: Scope): SQL {
  const parts = [sql`${column} is not null`];
  if (scope.fromMonth !== null) parts.push(sql`${column} >= ${scope.fromMonth}`);
  if (scope.toMonth !== null) parts.push(sql`${column} <= ${scope.toMonth}`);
  return sql.join(parts, sql` and `);
}

/**
 * `avg(column)` of the middle row (odd count) or the two middle rows (even) of `from` in `column`
 * order, where `count` is an uncorrelated scalar subquery giving how many rows `from` has: an index
 * walk to the middle instead of numbering every row (a window over 100,000 rows costs ~150 ms).
 */
export function medianOf(column: SQL, from: SQL, count: SQL): SQL {
  return sql`(select avg(m) from (select ${column} as m ${from} order by ${column}
    limit 2 - ${count} % 2 offset (${count} - 1) / 2))`;
}

/** `column` within the request's date range (no condition when the range is open). */
export function inRange(column: SQL, scope: Scope): SQL {
  const parts = [sql`1`];
  if (scope.fromMs !== null) parts.push(sql`${column} >= ${scope.fromMs}`);
  if (scope.toMs !== null) parts.push(sql`${column} < ${scope.toMs}`);
  return sql.join(parts, sql` and `);
}

/** The month of an epoch-ms column, `YYYY-MM` (UTC). */
export function monthOf(column: SQL): SQL {
  return sql`strftime('%Y-%m', ${column} / 1000, 'unixepoch')`;
}

/**
 * Leads created in the range (the cohort) with `r`, the furthest funnel stage each reached: the
 * highest of every stage its history took it to and its current stage. Reaching a stage implies
 * reaching every stage before it, so a lead created at `sql` has reached `new` and `mql`.
 */
export function reachCte(scope: Scope) {
  return sql`reach as materialized (
    select l.id, l.created_at, l.source_channel, l.utm_source, l.utm_campaign, l.stage, l.deal_value,
      max(${stageRank(sql`l.stage`)}, coalesce(
        (select max(${stageRank(sql`sc.to_stage`)}) from stage_changes sc where sc.lead_id = l.id), -1)) as r
    from leads l
    where ${leadFilter(scope)} and ${inRange(sql`l.created_at`, scope)}
  )`;
}

/** a / b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Every month from `first` to `last` inclusive, `YYYY-MM`. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * Whether `month` (`YYYY-MM`) is only partly counted: not over yet at `scope.nowMs`, or cut by the
 * range's first or last day.
 */
export function isPartialMonth(scope: Scope, month: string): boolean {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(year, index - 1, 1);
  const end = Date.UTC(year, index, 1);
  return (
    end > scope.nowMs ||
    (scope.fromMs !== null && scope.fromMs > start) ||
    (scope.toMs !== null && scope.toMs < end)
  );
}

/** The months to show: the request's range when given, else the span of the data. */
export function calendar(scope: Scope, dataMonths: string[]): string[] {
  const sorted = [...dataMonths].sort();
  let first = scope.fromMonth ?? sorted[0];
  let last = scope.toMonth ?? sorted[sorted.length - 1];
  if (!first || !last || first > last) return [];
  // A range of centuries is fine to ask for, but only the months with data are worth listing.
  if (Number(last.slice(0, 4)) - Number(first.slice(0, 4)) > 20) {
    first = sorted[0] ?? first;
    last = sorted[sorted.length - 1] ?? last;
  }
  return monthsBetween(first, last);
}

/** Cents to currency units, exact for the sums the API returns. */
export const fromCents = (cents: number) => Math.round(cents) / 100;
