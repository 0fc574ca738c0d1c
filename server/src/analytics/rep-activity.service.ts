import type { RepActivity } from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { inRange, type Scope } from './analytics.sql';
import { type ActivityRow, activityFigures, FIRST_MONDAY_MS, WEEK_MS } from './figures';

/**
 * Weeks since the epoch's first Monday, as SQLite's integer division gives them; the same expression
 * as the index touchpoints_ws_week_idx and touch_weeks' `week`.
 */
export function weekOf(column: SQL): SQL {
  return sql`(${column} - ${sql.raw(String(FIRST_MONDAY_MS))}) / ${sql.raw(String(WEEK_MS))}`;
}

/**
 * Touchpoints counted from the touchpoints themselves, in weeks `lo`..`hi` (null: unbounded) and the
 * range: the week bounds let touchpoints_ws_week_idx serve the range in group order. A channel or
 * campaign filter reads the lead's source channel and campaign from `leads` or, a tenth the size,
 * from `lead_facts`.
 */
export function activityFromTouchpoints(
  scope: Scope,
  weeks: { lo: number | null; hi: number | null },
  leadsFrom: 'leads' | 'lead_facts' = 'lead_facts',
): SQL {
  const needsLead = scope.channel !== null || scope.campaign !== null;
  const week = weekOf(sql`t.occurred_at`);
  const filters = [sql`t.workspace_id = ${scope.workspaceId}`];
  if (weeks.lo !== null) filters.push(sql`${week} >= ${weeks.lo}`);
  if (weeks.hi !== null) filters.push(sql`${week} <= ${weeks.hi}`);
  filters.push(inRange(sql`t.occurred_at`, scope));
  if (scope.owner) filters.push(sql`t.user_id = ${scope.owner}`);
  if (scope.channel) filters.push(sql`coalesce(t.channel, l.source_channel) = ${scope.channel}`);
  if (scope.campaign) filters.push(sql`l.utm_campaign = ${scope.campaign}`);
  return sql`select ${week} as week, t.user_id as userId, t.type, count(*) as n
    from touchpoints t ${needsLead ? sql`join ${sql.raw(leadsFrom)} l on l.${sql.raw(leadsFrom === 'leads' ? 'id' : 'lead_id')} = t.lead_id` : sql``}
    where ${sql.join(filters, sql` and `)}
    group by week, t.user_id, t.type`;
}

/** The weeks the range cuts, as touchpoints_ws_week_idx bounds them (integer division truncates). */
export function rangeWeeks(scope: Scope) {
  return {
    lo: scope.fromMs === null ? null : Math.trunc((scope.fromMs - FIRST_MONDAY_MS) / WEEK_MS),
    hi: scope.toMs === null ? null : Math.trunc((scope.toMs - 1 - FIRST_MONDAY_MS) / WEEK_MS),
  };
}

/**
 * The weeks whose every touchpoint is in the range, so touch_weeks can answer for them whole:
 * weeks from 1 on span [Monday, next Monday); week 0 also holds everything before 1970-01-05 (the
 * division truncates towards zero), so below week 1 only an open start is whole. Null: none.
 */
export function wholeWeeks(scope: Scope): { first: number | null; last: number | null } | null {
  const first =
    scope.fromMs === null ? null : Math.max(1, Math.ceil((scope.fromMs - FIRST_MONDAY_MS) / WEEK_MS));
  // The last week that ends by the range's end; with an open start, weeks 0 and below end by the
  // end of week 0.
  const last = scope.toMs === null ? null : Math.floor((scope.toMs - FIRST_MONDAY_MS) / WEEK_MS) - 1;
  if (last !== null && last < 0) return null;
  if (first !== null && last !== null && first > last) return null;
  return { first, last };
}

/**
 * Touchpoints by the rep who logged them, type and ISO week of when they happened. `owner` filters on
 * that rep; `channel` on the touch's channel (else its lead's source channel); `campaign` on the lead.
 * Whole weeks come from touch_weeks (kept by triggers on touchpoints and lead_facts); the weeks the
 * range cuts are counted from the touchpoints.
 */
export async function repActivity(db: Executor, scope: Scope): Promise<RepActivity> {
  const whole = wholeWeeks(scope);
  const weeks = rangeWeeks(scope);
  const parts: SQL[] = [];
  if (!whole) {
    parts.push(activityFromTouchpoints(scope, weeks));
  } else {
    const filters = [sql`w.workspace_id = ${scope.workspaceId}`];
    if (whole.first !== null) filters.push(sql`w.week >= ${whole.first}`);
    if (whole.last !== null) filters.push(sql`w.week <= ${whole.last}`);
    if (scope.owner) filters.push(sql`w.user_key = ${scope.owner}`);
    if (scope.channel) filters.push(sql`w.channel_key = ${scope.channel}`);
    if (scope.campaign) filters.push(sql`w.campaign_key = ${scope.campaign}`);
    parts.push(sql`select w.week, nullif(w.user_key, '') as userId, w.type, sum(w.n) as n
      from touch_weeks w where ${sql.join(filters, sql` and `)}
      group by w.week, w.user_key, w.type`);
    // The cut weeks before and after the whole ones.
    if (whole.first !== null && (weeks.lo === null || weeks.lo < whole.first)) {
      parts.push(activityFromTouchpoints(scope, { lo: weeks.lo, hi: whole.first - 1 }));
    }
    if (whole.last !== null && (weeks.hi === null || weeks.hi > whole.last)) {
      parts.push(activityFromTouchpoints(scope, { lo: whole.last + 1, hi: weeks.hi }));
    }
  }
  const rows = await db.all<ActivityRow>(sql`
    select week, userId, type, n from (${sql.join(parts, sql` union all `)})
    order by week, userId, type`);
  const users = await db.all<{ id: string; name: string }>(
    sql`select id, name from users where workspace_id = ${scope.workspaceId}`,
  );
  return activityFigures(rows, users);
}
