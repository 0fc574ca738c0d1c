import { LEAD_STAGES } from '@leadline/shared';
import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaces } from './schema';
import { timestamp } from './schema-columns';

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
 * Open leads (not won or lost) each owner holds, kept by SQLite triggers on `leads` (migration
 * 0017) in the same transaction as every insert, owner or stage change and delete, whichever code
 * path or API process makes it: routing reads a rep's count for "open leads at most" caps and
 * "least open leads" in one indexed read instead of counting the workspace's leads per decision.
 */
export const ownerOpenLeads = sqliteTable(
  'owner_open_leads',
  {
    workspaceId: text('workspace_id').notNull(),
    ownerId: text('owner_id').notNull(),
    openCount: integer('open_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.ownerId] })],
);
