import { LEAD_STAGES, SOURCE_CHANNELS, TOUCHPOINT_TYPES } from '@leadline/shared';
import type { WorkingHours } from '@leadline/shared/working-time';
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

import { timestamp } from './schema-columns';

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Win probability per open stage, 0..1, for the weighted pipeline (analytics). */
  stageProbabilities: text('stage_probabilities', { mode: 'json' }).$type<Record<string, number>>(),
  /** Reps see (list, rank, match, read) only the leads they own; managers and admins see all. */
  repsSeeOnlyOwnLeads: integer('reps_see_only_own_leads', { mode: 'boolean' }).notNull().default(false),
  /** ISO 4217 code every money figure is shown in; null: the default (USD). */
  currency: text('currency'),
  /** The reasons a rep picks from when closing a deal, `{ won: [...], lost: [...] }`; null: the defaults. */
  closeReasons: text('close_reasons', { mode: 'json' }).$type<{ won: string[]; lost: string[] }>(),
  /** An SQL untouched this many days whose engagement fell below the MQL threshold is offered back to nurture. */
  recycleAfterDays: integer('recycle_after_days').notNull().default(30),
  createdAt: timestamp('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role', { enum: ['rep', 'manager', 'admin'] }).notNull(),
    /** IANA zone the person works in: working hours, SLA minutes and task due days are counted in it. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** Hours per weekday in that zone (shared/src/working-time); null: Monday to Friday, 09:00-17:00. */
    workingHours: text('working_hours', { mode: 'json' }).$type<WorkingHours>(),
    /** Away (holiday, sick) until this instant: routing skips them meanwhile. */
    awayUntil: timestamp('away_until'),
    /** Deactivated (left the team): no token works, routing skips them, old traces still name them. */
    deactivatedAt: timestamp('deactivated_at'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('users_workspace_idx').on(t.workspaceId)],
);

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    label: text('label'),
    /** SHA-256 of the token, hex: the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash)],
);

export const leads = sqliteTable(
  'leads',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    fullName: text('full_name'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    /** Folded name for search and fuzzy matching. */
    nameKey: text('name_key'),
    title: text('title'),
    company: text('company'),
    companyDomain: text('company_domain'),
    email: text('email'),
    /** Normalised mailbox (dots and +tags folded) for matching. */
    emailKey: text('email_key'),
    phone: text('phone'),
    location: text('location'),
    country: text('country'),
    linkedinUrl: text('linkedin_url'),
    website: text('website'),
    industry: text('industry'),
    companySize: integer('company_size'),
    bantBudget: integer('bant_budget', { mode: 'boolean' }),
    bantAuthority: integer('bant_authority', { mode: 'boolean' }),
    bantNeed: integer('bant_need', { mode: 'boolean' }),
    bantTimelineMonths: integer('bant_timeline_months'),
    sourceChannel: text('source_channel', { enum: SOURCE_CHANNELS }).notNull(),
    sourceUrl: text('source_url'),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    ownerId: text('owner_id').references(() => users.id),
    /** The company as routing's "account ownership" knows it: registrable domain, else the folded name. */
    accountKey: text('account_key'),
    stage: text('stage', { enum: LEAD_STAGES }).notNull(),
    dealValue: real('deal_value'),
    /** YYYY-MM-DD: when the rep expects the deal to close. */
    expectedCloseDate: text('expected_close_date'),
    closeReason: text('close_reason'),
    /** Fit 0..100 under the model in force (does not decay). */
    fit: real('fit').notNull().default(0),
    /**
     * Engagement in forward-decay form (shared/src/scoring/forward-decay.ts), relative to the
     * model's landmark: log2 of the positive and negative forward sums of the touchpoints that have
     * happened, and the key log2(max(0, pos - neg)), null when not positive. The key is
     * time-invariant, so an index on it orders leads by engagement at every moment.
     */
    engagementPos: real('engagement_pos'),
    engagementNeg: real('engagement_neg'),
    engagementKey: real('engagement_key'),
    /** Earliest touchpoint logged ahead of time and not yet in the sums; folded in once it is due. */
    pendingTouchAt: timestamp('pending_touch_at'),
    /** Latest touchpoint that has happened (and is in the sums). */
    lastTouchAt: timestamp('last_touch_at'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    // Keyset walks over a workspace (rescore-all, exports) go by id.
    index('leads_ws_id_idx').on(t.workspaceId, t.id),
    index('leads_ws_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('leads_ws_last_touch_idx').on(t.workspaceId, t.lastTouchAt, t.id),
    // Ranking by live score walks these: one fit value at a time, hottest engagement first.
    index('leads_ws_rank_idx').on(t.workspaceId, t.fit, t.engagementKey, t.id),
    index('leads_ws_stage_rank_idx').on(t.workspaceId, t.stage, t.fit, t.engagementKey, t.id),
    index('leads_ws_owner_rank_idx').on(t.workspaceId, t.ownerId, t.fit, t.engagementKey, t.id),
    index('leads_ws_pending_idx').on(t.workspaceId, t.pendingTouchAt),
    index('leads_ws_linkedin_idx').on(t.workspaceId, t.linkedinUrl),
    index('leads_ws_email_key_idx').on(t.workspaceId, t.emailKey),
    index('leads_ws_domain_idx').on(t.workspaceId, t.companyDomain),
    index('leads_ws_company_idx').on(t.workspaceId, sql`lower(${t.company})`),
    index('leads_ws_account_idx').on(t.workspaceId, t.accountKey),
  ],
);

export const touchpoints = sqliteTable(
  'touchpoints',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => users.id),
    type: text('type', { enum: TOUCHPOINT_TYPES }).notNull(),
    occurredAt: timestamp('occurred_at').notNull(),
    note: text('note'),
    channel: text('channel', { enum: SOURCE_CHANNELS }),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    // Id, channel and type too: analytics reads a lead's touches in time order from the index alone
    // (a won deal's touches for attribution, the first outbound touch for speed to lead).
    index('touchpoints_lead_idx').on(t.leadId, t.occurredAt, t.id, t.channel, t.type),
    // Analytics: activity by week, rep and type over a period (covering, in group order: the week is
    // the analytics' expression, weeks since 1970-01-05).
    index('touchpoints_ws_week_idx').on(
      t.workspaceId,
      sql`(${t.occurredAt} - 345600000) / 604800000`,
      t.userId,
      t.type,
      t.occurredAt,
    ),
  ],
);

export const stageChanges = sqliteTable(
  'stage_changes',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage', { enum: LEAD_STAGES }),
    toStage: text('to_stage', { enum: LEAD_STAGES }).notNull(),
    cause: text('cause', { enum: ['created', 'threshold', 'rep', 'import', 'recycle'] }).notNull(),
    userId: text('user_id').references(() => users.id),
    at: timestamp('at').notNull(),
  },
  (t) => [
    // With the stage: the funnel reads a lead's changes in time order from the index alone.
    index('stage_changes_lead_idx').on(t.leadId, t.at, t.toStage),
    // Analytics: when a lead first reached a stage.
    index('stage_changes_lead_stage_idx').on(t.leadId, t.toStage, t.at),
    index('stage_changes_ws_at_idx').on(t.workspaceId, t.at),
  ],
);

/**
 * Who changed which field of a lead, from what to what, and when: written in the same transaction as
 * the change. Stage moves are not repeated here: `stage_changes` records them (with who and why), and
 * the audit endpoint reads both.
 */
export const leadAudit = sqliteTable(
  'lead_audit',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    /** The wire field (`title`, `ownerId`, `bant.budget`...). */
    field: text('field').notNull(),
    before: text('before', { mode: 'json' }).$type<string | number | boolean | null>(),
    after: text('after', { mode: 'json' }).$type<string | number | boolean | null>(),
    /** `created`: the lead's first values; `rep`: a person's change. */
    cause: text('cause', { enum: ['created', 'rep', 'sla'] }).notNull(),
    userId: text('user_id').references(() => users.id),
    at: timestamp('at').notNull(),
  },
  (t) => [index('lead_audit_lead_idx').on(t.leadId, t.at)],
);

export const scoringModels = sqliteTable(
  'scoring_models',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    version: integer('version').notNull(),
    /** The model document (SCORING.md), as JSON. */
    document: text('document', { mode: 'json' }).notNull(),
    /** Forward-decay landmark (ms) the leads' engagement_log values are relative to. */
    landmark: timestamp('landmark').notNull(),
    createdAt: timestamp('created_at').notNull(),
    createdBy: text('created_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.version] })],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** SHA-256 of the request body: a reused key with another body is refused. */
    requestHash: text('request_hash').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

/** What a source cost in a month, for cost per lead and ROI. */
export const sourceCosts = sqliteTable(
  'source_costs',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** `YYYY-MM`. */
    month: text('month').notNull(),
    channel: text('channel').notNull(),
    /** '' when the cost is for the whole channel. */
    utmSource: text('utm_source').notNull().default(''),
    utmCampaign: text('utm_campaign').notNull().default(''),
    amount: real('amount').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.month, t.channel, t.utmSource, t.utmCampaign] })],
);

/**
 * The workspace's event log, served as server-sent events. Kept in the database rather than in
 * memory so every API process sees every event and a client that reconnects gets what it missed.
 */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    type: text('type').notNull(),
    leadId: text('lead_id'),
    data: text('data', { mode: 'json' }).notNull(),
    at: timestamp('at').notNull(),
  },
  (t) => [index('events_ws_id_idx').on(t.workspaceId, t.id), index('events_at_idx').on(t.at)],
);

export * from './schema-analytics';
export * from './schema-follow-ups';
export * from './schema-forms';
export * from './schema-imports';
export * from './schema-jobs';
export * from './schema-routing';
export * from './schema-webhooks';
