import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users, workspaces } from './schema';
import { timestamp } from './schema-columns';

/**
 * A website form endpoint: its public id (in the snippet) accepts submissions to this form only,
 * from `allowedOrigins`; each one creates or updates a lead and logs a `form_submitted` touchpoint.
 */
export const forms = sqliteTable(
  'forms',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** `frm_` + random: public (it is in the site's HTML), so it grants nothing but submitting. */
    publicId: text('public_id').notNull(),
    name: text('name').notNull(),
    /** Site origins (`https://www.acme.com`) whose pages may submit, checked against `Origin`. */
    allowedOrigins: text('allowed_origins', { mode: 'json' }).notNull().$type<string[]>(),
    thankYouUrl: text('thank_you_url'),
    campaign: text('campaign'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    submissionCount: integer('submission_count').notNull().default(0),
    lastSubmissionAt: timestamp('last_submission_at'),
    /** Who made it: submissions act in their name (the creator of a lead when no routing is set). */
    createdBy: text('created_by').references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [uniqueIndex('forms_public_id_idx').on(t.publicId), index('forms_ws_idx').on(t.workspaceId)],
);
