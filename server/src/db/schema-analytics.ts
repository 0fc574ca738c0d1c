import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/*
 * Analytics rollups (migration 0021). Every row here is derived from `leads`, `stage_changes` and
 * `touchpoints` and kept by SQLite triggers on those tables, in the same transaction as the write
 * that changes them, whichever code path or API process makes it; the migration fills them from the
 * history once. `analytics/rollups.property.test.ts` holds them equal to a recomputation after random
 * sequences of writes. Nothing writes them but the triggers. Times are epoch milliseconds.
 * See docs/analytics.md ("How the figures are kept").
 */

/** The funnel rank of a stage column: new 0 .. won 4, -1 off the funnel. */
const rank = (column: string) =>
  `(case ${column} when 'new' then 0 when 'mql' then 1 when 'sql' then 2 when 'opportunity' then 3 when 'won' then 4 else -1 end)`;

/**
 * One compact row per lead: the lead's own columns that the figures filter and group by, and what
 * its history says (how far along the funnel it got, when it first qualified, when it closed, its
 * first outbound touch). Each covering index serves one figure's scan in the order it groups by.
 */
export const leadFacts = sqliteTable(
  'lead_facts',
  {
    leadId: text('lead_id').primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    createdAt: integer('created_at').notNull(),
    ownerId: text('owner_id'),
    sourceChannel: text('source_channel').notNull(),
    utmSource: text('utm_source'),
    utmCampaign: text('utm_campaign'),
    stage: text('stage').notNull(),
    dealValue: real('deal_value'),
    /** The lead's `updated_at` while it is won or lost (its close time when no change records it). */
    closedUpdatedAt: integer('closed_updated_at'),
    /** The highest funnel rank any of its stage changes took it to; -1 with none. */
    changeReach: integer('change_reach').notNull().default(-1),
    /** Its first change into MQL or a later funnel stage, and into opportunity or won. */
    mqlAt: integer('mql_at'),
    oppAt: integer('opp_at'),
    /** Its latest change into won, and into lost. */
    wonChangeAt: integer('won_change_at'),
    lostChangeAt: integer('lost_change_at'),
    /** Its first outbound touchpoint (OUTBOUND_TOUCHPOINT_TYPES). */
    firstOutboundAt: integer('first_outbound_at'),
    createdMonth: text('created_month')
      .notNull()
      .generatedAlwaysAs(sql.raw(`strftime('%Y-%m', created_at / 1000, 'unixepoch')`), { mode: 'stored' }),
    /** The furthest funnel stage reached: its history's and its current stage's. */
    reach: integer('reach')
      .notNull()
      .generatedAlwaysAs(sql.raw(`max(${rank('stage')}, change_reach)`), { mode: 'stored' }),
    qualifiedAt: integer('qualified_at').generatedAlwaysAs(
      sql.raw(`coalesce(mql_at, case when ${rank('stage')} >= 1 then created_at end)`),
      { mode: 'stored' },
    ),
    qualifiedMonth: text('qualified_month').generatedAlwaysAs(
      sql.raw(
        `strftime('%Y-%m', coalesce(mql_at, case when ${rank('stage')} >= 1 then created_at end) / 1000, 'unixepoch')`,
      ),
      { mode: 'stored' },
    ),
    /** Won or lost now: its latest change into that stage, else `updated_at`. */
    closedAt: integer('closed_at').generatedAlwaysAs(
      sql.raw(
        `case stage when 'won' then coalesce(won_change_at, closed_updated_at) when 'lost' then coalesce(lost_change_at, closed_updated_at) end`,
      ),
      { mode: 'stored' },
    ),
    /** Creation to first outbound touch; a touch logged as before the creation counts as 0. */
    speedMs: integer('speed_ms').generatedAlwaysAs(sql.raw('max(0, first_outbound_at - created_at)'), {
      mode: 'stored',
    }),
  },
  (t) => [
    index('lead_facts_cohort_idx').on(
      t.workspaceId,
      t.createdMonth,
      t.createdAt,
      t.reach,
      t.speedMs,
      t.ownerId,
      t.sourceChannel,
      t.utmCampaign,
    ),
    index('lead_facts_source_idx').on(
      t.workspaceId,
      t.sourceChannel,
      t.utmSource,
      t.utmCampaign,
      t.createdAt,
      t.reach,
      t.stage,
      t.dealValue,
      t.ownerId,
    ),
    index('lead_facts_speed_idx').on(
      t.workspaceId,
      t.speedMs,
      t.createdAt,
      t.ownerId,
      t.sourceChannel,
      t.utmCampaign,
    ),
    index('lead_facts_qualified_idx').on(
      t.workspaceId,
      t.qualifiedMonth,
      t.qualifiedAt,
      t.ownerId,
      t.sourceChannel,
      t.utmCampaign,
    ),
    index('lead_facts_stage_idx').on(
      t.workspaceId,
      t.stage,
      t.closedAt,
      t.createdAt,
      t.dealValue,
      t.ownerId,
      t.sourceChannel,
      t.utmCampaign,
      t.leadId,
    ),
  ],
);

/**
 * Leads per workspace and UTC day of creation (days since 1970-01-01) by how far along the funnel they
 * got: `n0` every lead created that day, `n1` those that reached MQL or later .. `n4` won (migration
 * 0022). Kept by triggers on lead_facts, no rows with `n0` 0: an unfiltered funnel over whole days
 * reads a row a day instead of walking every lead of the range.
 */
export const funnelDays = sqliteTable(
  'funnel_days',
  {
    workspaceId: text('workspace_id').notNull(),
    day: integer('day').notNull(),
    n0: integer('n0').notNull(),
    n1: integer('n1').notNull(),
    n2: integer('n2').notNull(),
    n3: integer('n3').notNull(),
    n4: integer('n4').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);

/**
 * One row per stage change into `new`, `mql`, `sql` or `opportunity`: the stay it starts, `ms` to the
 * lead's next later change (null while it is still there), with the lead's filter columns, so the
 * median time in a stage is an index walk.
 */
export const leadStays = sqliteTable(
  'lead_stays',
  {
    changeId: text('change_id').primaryKey(),
    leadId: text('lead_id').notNull(),
    workspaceId: text('workspace_id').notNull(),
    stage: text('stage').notNull(),
    at: integer('at').notNull(),
    ms: integer('ms'),
    createdAt: integer('created_at').notNull(),
    ownerId: text('owner_id'),
    sourceChannel: text('source_channel').notNull(),
    utmCampaign: text('utm_campaign'),
  },
  (t) => [
    index('lead_stays_lead_idx').on(t.leadId, t.at),
    index('lead_stays_median_idx').on(
      t.workspaceId,
      t.stage,
      t.ms,
      t.createdAt,
      t.ownerId,
      t.sourceChannel,
      t.utmCampaign,
    ),
  ],
);

/**
 * Touchpoints per workspace, ISO week (weeks since 1970-01-05, as touchpoints_ws_week_idx has it),
 * rep who logged them ('' for none), type, channel (the touch's, else its lead's source channel) and
 * its lead's UTM campaign ('' for none): rep activity over whole weeks, with any filter.
 */
export const touchWeeks = sqliteTable(
  'touch_weeks',
  {
    workspaceId: text('workspace_id').notNull(),
    week: integer('week').notNull(),
    userKey: text('user_key').notNull(),
    type: text('type').notNull(),
    channelKey: text('channel_key').notNull(),
    campaignKey: text('campaign_key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.week, t.userKey, t.type, t.channelKey, t.campaignKey] })],
);

/**
 * Each won deal's value credited to channels by each attribution model, in whole cents (no zero
 * rows): what attribution would compute for the deal alone, recomputed whenever the deal, its close,
 * its stage history or its touchpoints up to the close change.
 */
export const dealCredits = sqliteTable(
  'deal_credits',
  {
    leadId: text('lead_id').notNull(),
    model: text('model').notNull(),
    channel: text('channel').notNull(),
    cents: integer('cents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.model, t.channel] })],
);

/**
 * Always empty: inserting a lead id here runs the trigger that recomputes its `deal_credits` (and
 * deletes the row again), so that one statement is written once and called from every trigger that
 * can change a deal's credits.
 */
export const dealCreditRefresh = sqliteTable('deal_credit_refresh', {
  leadId: text('lead_id').primaryKey(),
});
