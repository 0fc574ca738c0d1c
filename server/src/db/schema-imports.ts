import { IMPORT_POLICIES, IMPORT_STATUSES, type ImportDryRun, type ImportTarget } from '@leadline/shared';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users, workspaces } from './schema';
import { timestamp } from './schema-columns';

/**
 * A CSV import (imports/): the file's shape as detected, the mapping and match policy chosen, and
 * the background run's progress. Its rows wait in `import_rows` from the upload on, so a run is
 * resumed from the database alone (any API process, a libSQL server), never from a file on disk.
 */
export const imports = sqliteTable(
  'imports',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    fileName: text('file_name').notNull(),
    campaign: text('campaign'),
    encoding: text('encoding').notNull(),
    delimiter: text('delimiter').notNull(),
    headers: text('headers', { mode: 'json' }).$type<string[]>().notNull(),
    /** One target per column, in the file's column order. */
    mapping: text('mapping', { mode: 'json' }).$type<ImportTarget[]>().notNull(),
    policy: text('policy', { enum: IMPORT_POLICIES }).notNull().default('fill'),
    status: text('status', { enum: IMPORT_STATUSES }).notNull(),
    totalRows: integer('total_rows').notNull(),
    /** The last row number the run (or the undo) has finished; rows are numbered from 1. */
    cursor: integer('cursor').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    refused: integer('refused').notNull().default(0),
    /** Which API process runs the next slice, and until when its claim holds. */
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until'),
    /** The last dry run's counts and examples, for the page to show again. */
    dryRun: text('dry_run', { mode: 'json' }).$type<ImportDryRun>(),
    error: text('error'),
    createdAt: timestamp('created_at').notNull(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
    undoneAt: timestamp('undone_at'),
  },
  (t) => [
    index('imports_ws_created_idx').on(t.workspaceId, t.createdAt),
    index('imports_status_idx').on(t.status),
  ],
);

/**
 * Every row of an import: its cells as parsed (staged at upload), then its outcome, the lead it
 * created or changed, and for a change the columns as they were (what undo writes back).
 */
export const importRows = sqliteTable(
  'import_rows',
  {
    importId: text('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    rowNo: integer('row_no').notNull(),
    /** The line of the file the row starts on (a quoted field may span lines). */
    line: integer('line').notNull(),
    cells: text('cells', { mode: 'json' }).$type<string[]>().notNull(),
    outcome: text('outcome', { enum: ['created', 'updated', 'unchanged', 'skipped', 'refused'] }),
    reason: text('reason'),
    leadId: text('lead_id'),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** The lead's `updated_at` as the import left it: a later write means someone touched it. */
    writtenAt: timestamp('written_at'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNo] }),
    index('import_rows_lead_idx').on(t.importId, t.leadId),
  ],
);

/** The mapping last used for a set of headers, so the next file from the same CRM maps itself. */
export const importMappings = sqliteTable(
  'import_mappings',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    headerKey: text('header_key').notNull(),
    mapping: text('mapping', { mode: 'json' }).$type<ImportTarget[]>().notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.headerKey] })],
);
