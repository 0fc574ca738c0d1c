import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { leads, users, workspaces } from './schema';
import { timestamp } from './schema-columns';

/** Routing: the teams it hands leads to, its versioned rules, and every assignment with its trace. */

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
      enum: [
        'created',
        'stage',
        'route_again',
        'manual',
        'deactivated',
        'claim',
        'sla_breach',
        'sla_escalation',
      ],
    }).notNull(),
    byUserId: text('by_user_id').references(() => users.id),
    trace: text('trace', { mode: 'json' }).notNull(),
    at: timestamp('at').notNull(),
    /** When the owner's first outbound touch is due (the placing rule's SLA); null: no SLA. */
    slaDueAt: timestamp('sla_due_at'),
    /**
     * How the SLA ended, set once by the sweep that claims it: `met` (touched in time), `moot` (the
     * lead moved on first: another owner, closed), `breached` (routed again or escalated).
     */
    slaOutcome: text('sla_outcome', { enum: ['met', 'moot', 'breached'] }),
    slaSettledAt: timestamp('sla_settled_at'),
  },
  (t) => [
    index('lead_assignments_lead_idx').on(t.leadId, t.at),
    index('lead_assignments_team_idx').on(t.workspaceId, t.teamId, t.at, t.ownerId),
    index('lead_assignments_owner_idx').on(t.workspaceId, t.ownerId, t.at),
    // The SLA sweep's queue: only assignments whose SLA is still running.
    index('lead_assignments_sla_due_idx')
      .on(t.slaDueAt)
      .where(sql`${t.slaDueAt} is not null and ${t.slaOutcome} is null`),
  ],
);
