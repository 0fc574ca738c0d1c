import {
  type CadenceStep,
  ENROLMENT_STATES,
  type EnrolmentRule,
  HISTORY_KINDS,
  LEAD_STAGES,
  SOURCE_CHANNELS,
  TASK_STATES,
  TASK_TYPES,
  TOUCHPOINT_TYPES,
} from '@leadline/shared';
import type { WorkingHours } from '@leadline/shared/working-time';
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

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

/** A named pool of reps that routing hands leads to; the manager is who an SLA breach escalates to. */
export const teams = sqliteTable(
  'teams',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    managerId: text('manager_id').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('teams_ws_name_idx').on(t.workspaceId, t.name)],
);

/** A team's member: their weight in round robin and their caps (null: none). */
export const teamMembers = sqliteTable(
  'team_members',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    weight: real('weight').notNull().default(1),
    /** New leads a day at most (in the member's time zone). */
    capPerDay: integer('cap_per_day'),
    /** Open leads owned at most. */
    capOpen: integer('cap_open'),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
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
    cause: text('cause', { enum: ['created', 'rep'] }).notNull(),
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

/** The routing rules, versioned like the scoring model: the highest version is in force. */
export const routingRules = sqliteTable(
  'routing_rules',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    version: integer('version').notNull(),
    /** The routing document (shared/src/routing), as JSON. */
    document: text('document', { mode: 'json' }).notNull(),
    createdAt: timestamp('created_at').notNull(),
    createdBy: text('created_by').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.version] })],
);

/**
 * Every time a lead changed hands (or was placed in the queue): who decided, under which routing
 * version and rule, each candidate and why they were skipped. Written in the transaction that
 * changes the owner; the round robin's counters are counts over these rows, never kept elsewhere.
 */
export const leadAssignments = sqliteTable(
  'lead_assignments',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    fromOwnerId: text('from_owner_id').references(() => users.id),
    ownerId: text('owner_id').references(() => users.id),
    /** The team whose round robin placed it (for the rolling 30-day shares). */
    teamId: text('team_id'),
    cause: text('cause', {
      enum: ['created', 'stage', 'route_again', 'manual', 'deactivated', 'claim'],
    }).notNull(),
    byUserId: text('by_user_id').references(() => users.id),
    trace: text('trace', { mode: 'json' }).notNull(),
    at: timestamp('at').notNull(),
  },
  (t) => [
    index('lead_assignments_lead_idx').on(t.leadId, t.at),
    index('lead_assignments_team_idx').on(t.workspaceId, t.teamId, t.at, t.ownerId),
    index('lead_assignments_owner_idx').on(t.workspaceId, t.ownerId, t.at),
  ],
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

/**
 * One row whose `version` every write to `api_tokens`, `users`, `workspaces` and `scoring_models`
 * bumps, by SQLite triggers (migration 0012), whichever code path or API process makes the write.
 * Each process caches the token's principal and the workspace's model while it stays the same.
 */
export const cacheVersions = sqliteTable('cache_versions', {
  id: integer('id').primaryKey(),
  version: integer('version').notNull(),
});

/**
 * A model change being applied in slices (scoring/rescore-job.ts): the new version's document and
 * how far the walk over the workspace's leads has come. At most one per workspace; it survives a
 * restart, and the process that starts next resumes it.
 */
export const rescoreJobs = sqliteTable('rescore_jobs', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  document: text('document', { mode: 'json' }).notNull(),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at').notNull(),
  /** The last lead id staged (leads are walked in id order). */
  cursor: text('cursor').notNull().default(''),
  done: integer('done').notNull().default(0),
  total: integer('total').notNull(),
  /** Recompute every lead under the model in force, stages kept (leads that arrived unscored). */
  rebuild: integer('rebuild', { mode: 'boolean' }).notNull().default(false),
});

/**
 * A lead's scoring columns under the model a rescore job is applying, until the job switches them
 * in at once. A write to the lead or its touchpoints meanwhile deletes its row (triggers, migration
 * 0013), so the switch recomputes it under the new model from what it is then.
 */
export const rescoreStaging = sqliteTable('rescore_staging', {
  leadId: text('lead_id').primaryKey(),
  workspaceId: text('workspace_id').notNull(),
  fit: real('fit').notNull(),
  stage: text('stage', { enum: LEAD_STAGES }).notNull(),
  engagementPos: real('engagement_pos'),
  engagementNeg: real('engagement_neg'),
  engagementKey: real('engagement_key'),
  lastTouchAt: timestamp('last_touch_at'),
  pendingTouchAt: timestamp('pending_touch_at'),
});

/**
 * Where the workspace's events are sent (Standard Webhooks). `cursor` is the last event id fanned out
 * into deliveries: moved only together with the deliveries it covers, so every event is queued once.
 */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    url: text('url').notNull(),
    description: text('description'),
    /** The event types sent here. */
    eventTypes: text('event_types', { mode: 'json' }).notNull().$type<string[]>(),
    /** `whsec_` + base64: kept to sign with, shown only when made. */
    secret: text('secret').notNull(),
    /** The secret before the last rotation, still signed with until `previousSecretUntil`. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until'),
    /** An admin allowed loopback and private addresses for this endpoint (SSRF guard off). */
    allowPrivateNetwork: integer('allow_private_network', { mode: 'boolean' }).notNull().default(false),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** Why it was turned off (`gone`: it answered 410), null while enabled or turned off by hand. */
    disabledReason: text('disabled_reason'),
    cursor: integer('cursor').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('webhook_endpoints_ws_idx').on(t.workspaceId)],
);

/**
 * One event to send to one endpoint, with its body as sent (the event log is pruned after a day;
 * retries go on for three). Claimed by one process at a time through a lease (`claimedBy`,
 * `claimedUntil`), so two API processes never send the same delivery together.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    /** The `webhook-id` header: `msg_` + a random id, the same on every retry. */
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: integer('event_id'),
    eventType: text('event_type').notNull(),
    /** The JSON body, byte for byte what is signed and sent. */
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at'),
    claimedBy: text('claimed_by'),
    claimedUntil: timestamp('claimed_until'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at').notNull(),
    completedAt: timestamp('completed_at'),
  },
  (t) => [
    // An event is queued once per endpoint, whoever fans it out.
    uniqueIndex('webhook_deliveries_endpoint_event_idx').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_created_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

/** Every try of a delivery: when, what the endpoint answered (or why nothing arrived), how long. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: timestamp('at').notNull(),
    responseStatus: integer('response_status'),
    /** The first bytes of the answer, or the network error. */
    responseBody: text('response_body'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.at)],
);

/** A named list of steps (a task or a wait, each some working days after the previous) a lead is enrolled in. */
export const cadences = sqliteTable(
  'cadences',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /** Ends when the lead reaches SQL or later. */
    nurture: integer('nurture', { mode: 'boolean' }).notNull().default(false),
    /** What a reply, a meeting or a LinkedIn reply does to an enrolment. */
    onReply: text('on_reply', { enum: ['pause', 'end'] })
      .notNull()
      .default('pause'),
    /** A reply from any lead of the same company counts. */
    companyWide: integer('company_wide', { mode: 'boolean' }).notNull().default(false),
    steps: text('steps', { mode: 'json' }).$type<CadenceStep[]>().notNull(),
    rule: text('rule', { mode: 'json' }).$type<EnrolmentRule>(),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [index('cadences_ws_idx').on(t.workspaceId)],
);

/**
 * A lead's run through a cadence. `next_step` and `next_due_at` say what the engine creates next
 * and when; the engine claims a step by a conditional update of `next_step`, so each is created once.
 */
export const enrolments = sqliteTable(
  'enrolments',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    cadenceId: text('cadence_id')
      .notNull()
      .references(() => cadences.id, { onDelete: 'cascade' }),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ENROLMENT_STATES }).notNull(),
    nextStep: integer('next_step').notNull().default(0),
    nextDueAt: timestamp('next_due_at'),
    /** Why it paused or ended, as shown on the lead. */
    reason: text('reason'),
    /** Who gets the tasks while the lead has no owner. */
    fallbackAssigneeId: text('fallback_assignee_id').references(() => users.id),
    enrolledBy: text('enrolled_by').references(() => users.id),
    enrolledAt: timestamp('enrolled_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    // The engine's probe: running enrolments whose next step is due, oldest first.
    index('enrolments_due_idx').on(t.nextDueAt).where(sql`${t.state} = 'active'`),
    index('enrolments_lead_idx').on(t.leadId, t.state),
    index('enrolments_cadence_idx').on(t.cadenceId, t.state),
    // One running (or paused) enrolment of a lead per cadence.
    uniqueIndex('enrolments_live_idx')
      .on(t.cadenceId, t.leadId)
      .where(sql`${t.state} in ('active', 'paused')`),
  ],
);

/** What happened to an enrolment: steps created, done, skipped, pauses and ends with their cause. */
export const enrolmentHistory = sqliteTable(
  'enrolment_history',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    enrolmentId: text('enrolment_id')
      .notNull()
      .references(() => enrolments.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: HISTORY_KINDS }).notNull(),
    stepIndex: integer('step_index'),
    /** A stop's cause (`reply`, `meeting`...) or what a person did. */
    cause: text('cause'),
    reason: text('reason'),
    userId: text('user_id').references(() => users.id),
    at: timestamp('at').notNull(),
  },
  (t) => [index('enrolment_history_enrolment_idx').on(t.enrolmentId, t.at)],
);

/** A follow-up for a rep on a lead: by hand, from a next step, from a cadence step, or through the API. */
export const tasks = sqliteTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    leadId: text('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    assigneeId: text('assignee_id')
      .notNull()
      .references(() => users.id),
    type: text('type', { enum: TASK_TYPES }).notNull(),
    state: text('state', { enum: TASK_STATES }).notNull(),
    note: text('note'),
    dueAt: timestamp('due_at').notNull(),
    snoozedUntil: timestamp('snoozed_until'),
    /** When it shows in the queue: the snooze's end, else the due time. */
    showAt: timestamp('show_at').notNull(),
    outcome: text('outcome'),
    touchpointId: text('touchpoint_id').references(() => touchpoints.id, { onDelete: 'set null' }),
    enrolmentId: text('enrolment_id').references(() => enrolments.id, { onDelete: 'cascade' }),
    stepIndex: integer('step_index'),
    source: text('source', { enum: ['manual', 'next_step', 'cadence', 'api'] }).notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    completedAt: timestamp('completed_at'),
  },
  (t) => [
    // A rep's queue: their open tasks by when they show up (Today, overdue, this week).
    index('tasks_open_assignee_idx').on(t.assigneeId, t.showAt).where(sql`${t.state} in ('open', 'snoozed')`),
    index('tasks_lead_idx').on(t.leadId, t.state, t.showAt),
    // A cadence step's task exists once, whatever two engines do.
    uniqueIndex('tasks_enrolment_step_idx').on(t.enrolmentId, t.stepIndex),
  ],
);
