import {
  type CadenceStep,
  ENROLMENT_STATES,
  type EnrolmentRule,
  HISTORY_KINDS,
  TASK_STATES,
  TASK_TYPES,
} from '@leadline/shared';
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { leads, touchpoints, users, workspaces } from './schema';
import { timestamp } from './schema-columns';

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
