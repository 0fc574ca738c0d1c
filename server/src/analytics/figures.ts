import {
  FUNNEL_STAGES,
  type Funnel,
  type LeadVelocity,
  MS_PER_DAY,
  OPEN_STAGES,
  type Outcomes,
  type RepActivity,
  SPEED_BUCKETS,
  type SpeedToLead,
  type StageProbabilities,
} from '@leadline/shared';
import { calendar, isPartialMonth, ratio, type Scope } from './analytics.sql';

/*
 * The figures from the rows SQL gives: one function per endpoint, shared by the queries over the
 * rollup tables that answer requests and by the queries over the history alone that the property
 * test holds them equal to (from-history.ts), so the two differ only in their SQL.
 */

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const WEEK_MS = 7 * MS_PER_DAY;
/** 1970-01-05, the first Monday of the epoch. */
export const FIRST_MONDAY_MS = 4 * MS_PER_DAY;

export interface CohortRow {
  month: string;
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
}
/** Completed stays in one stage: how many, and their median length in ms. */
export interface StayRow {
  stage: string;
  n: number;
  median: number;
}

export function funnelFigures(scope: Scope, cohorts: CohortRow[], stays: StayRow[]): Funnel {
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

export function velocityFigures(scope: Scope, rows: { month: string; qualified: number }[]): LeadVelocity {
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

/** `leads`, `touched`, `w5`, `w60`, `w1440`, `median`, `p90` and `b0`.. (one per speed bucket). */
export type SpeedRow = Record<string, number | null>;

export function speedFigures(row: SpeedRow | undefined): SpeedToLead {
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

export interface ClosedRow {
  won: number;
  lost: number;
  mean: number | null;
  median: number | null;
}

export function outcomeFigures(
  closed: ClosedRow | undefined,
  open: { stage: string; leads: number; value: number }[],
  probabilities: StageProbabilities,
): Outcomes {
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

/** The ISO 8601 week of the week starting on `monday` (UTC), e.g. 2025-W07. */
export function isoWeek(monday: Date): string {
  const thursday = new Date(monday.getTime() + 3 * MS_PER_DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Touchpoints in one (week, rep, type), `week` counted from the epoch's first Monday. */
export interface ActivityRow {
  week: number;
  userId: string | null;
  type: string;
  n: number;
}

export function activityFigures(rows: ActivityRow[], users: { id: string; name: string }[]): RepActivity {
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
