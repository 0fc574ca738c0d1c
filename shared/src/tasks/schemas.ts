import { z } from 'zod';
import { id, isoDateTime } from '../schemas/common';
import { leadStage } from '../schemas/lead';
import { cadenceStepSchema, enrolmentRuleSchema } from './cadence';
import { SNOOZE_OPTIONS } from './due';
import { TASK_STATES, TASK_TYPES } from './kinds';

export const taskType = z.enum(TASK_TYPES);
export const taskState = z.enum(TASK_STATES);
const note = z.string().trim().max(2000);

export const taskCreateSchema = z
  .object({
    leadId: id,
    type: taskType,
    note: note.optional(),
    /** An exact due time; or `dueInDays` working days from now in the assignee's working time. */
    dueAt: isoDateTime.optional(),
    dueInDays: z.number().int().min(0).max(365).optional(),
    /** Whose task it is; the lead's owner (or you, for an unowned lead) when left out. */
    assigneeId: id.optional(),
    /** Where it came from: the panel's presets, a next step's "Remind me", the API. */
    source: z.enum(['manual', 'next_step', 'api']).default('api'),
  })
  .strict()
  .refine((body) => (body.dueAt === undefined) !== (body.dueInDays === undefined), {
    message: 'give exactly one of dueAt or dueInDays',
    path: ['dueAt'],
  })
  .meta({ id: 'TaskCreate' });
export type TaskCreate = z.input<typeof taskCreateSchema>;

export const taskPatchSchema = z
  .object({
    /** `done` logs the task's touchpoint (with `outcome`); `open` brings back a snoozed or skipped one. */
    state: z.enum(['open', 'done', 'skipped']).optional(),
    /** How it went (`TASK_OUTCOMES` of its type); a call must say. */
    outcome: z.string().max(40).optional(),
    snooze: z.enum(SNOOZE_OPTIONS).optional(),
    dueAt: isoDateTime.optional(),
    note: note.nullable().optional(),
    assigneeId: id.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' })
  .refine((body) => !(body.snooze && body.state), {
    message: 'snooze and state cannot be combined',
    path: ['snooze'],
  })
  .meta({ id: 'TaskPatch' });
export type TaskPatch = z.infer<typeof taskPatchSchema>;

export const taskSchema = z
  .object({
    id,
    leadId: id,
    assigneeId: id,
    type: taskType,
    state: taskState,
    note: z.string().nullable(),
    dueAt: isoDateTime,
    snoozedUntil: isoDateTime.nullable(),
    /** When it shows up in the queue: the snooze's end, else the due time. */
    showAt: isoDateTime,
    overdue: z.boolean(),
    outcome: z.string().nullable(),
    touchpointId: z.string().nullable(),
    enrolmentId: z.string().nullable(),
    stepIndex: z.number().int().nullable(),
    source: z.enum(['manual', 'next_step', 'cadence', 'api']),
    createdAt: isoDateTime,
    completedAt: isoDateTime.nullable(),
    lead: z.object({
      id,
      name: z.string(),
      company: z.string().nullable(),
      stage: leadStage,
      /** The lead's live score at the moment of the answer: the queue's order. */
      score: z.number(),
    }),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof taskSchema>;

export const taskListQuerySchema = z
  .object({
    assignee: z.string().max(64).default('me').meta({ description: '`me`, a user id, or `any`' }),
    due: z
      .enum(['today', 'overdue', 'week', 'any'])
      .default('any')
      .meta({ description: '`today` includes what is overdue; days are the assignee’s local days' }),
    leadId: id.optional(),
    state: z.enum(['open', 'all']).default('open'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const taskListSchema = z
  .object({
    /** Overdue first, then the rest; within each, the hottest lead first. */
    items: z.array(taskSchema),
    /** How many matched (items holds at most `limit` of them). */
    total: z.number().int(),
    overdue: z.number().int(),
  })
  .meta({ id: 'TaskList' });
export type TaskList = z.infer<typeof taskListSchema>;

export const cadenceInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** A nurture cadence ends when the lead reaches SQL (or later). */
    nurture: z.boolean().default(false),
    /** What a reply, a meeting or a LinkedIn reply does: pause (a rep resumes) or end. */
    onReply: z.enum(['pause', 'end']).default('pause'),
    /** A reply from anyone at the lead's company counts too. */
    companyWide: z.boolean().default(false),
    steps: z.array(cadenceStepSchema).min(1).max(30),
    /** Enrols leads by itself when they reach a stage; null: by hand only. */
    rule: enrolmentRuleSchema.nullable().default(null),
  })
  .strict()
  .refine((body) => body.steps.some((step) => step.type !== 'wait'), {
    message: 'a cadence needs at least one step that is not a wait',
    path: ['steps'],
  })
  .meta({ id: 'CadenceInput' });
export type CadenceInput = z.input<typeof cadenceInputSchema>;

export const cadenceSchema = z
  .object({
    id,
    name: z.string(),
    nurture: z.boolean(),
    onReply: z.enum(['pause', 'end']),
    companyWide: z.boolean(),
    steps: z.array(cadenceStepSchema),
    rule: enrolmentRuleSchema.nullable(),
    archived: z.boolean(),
    active: z.number().int().meta({ description: 'Enrolments running or paused' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Cadence' });
export type Cadence = z.infer<typeof cadenceSchema>;

export const ENROLMENT_STATES = ['active', 'paused', 'finished', 'stopped', 'removed'] as const;
export const HISTORY_KINDS = [
  'enrolled',
  'step_created',
  'step_done',
  'step_skipped',
  'paused',
  'resumed',
  'finished',
  'stopped',
  'removed',
] as const;

export const enrolmentHistorySchema = z.object({
  kind: z.enum(HISTORY_KINDS),
  stepIndex: z.number().int().nullable(),
  reason: z.string().nullable(),
  userId: z.string().nullable(),
  at: isoDateTime,
});

export const enrolmentSchema = z
  .object({
    id,
    cadenceId: id,
    cadenceName: z.string(),
    leadId: id,
    state: z.enum(ENROLMENT_STATES),
    /** The step the cadence creates next (0-based), and when. */
    nextStep: z.number().int(),
    nextDueAt: isoDateTime.nullable(),
    stepCount: z.number().int(),
    /** Why it paused or ended ("Replied by e-mail", "Reached SQL", "Removed by Ana"). */
    reason: z.string().nullable(),
    enrolledBy: z.string().nullable(),
    enrolledAt: isoDateTime,
    history: z.array(enrolmentHistorySchema),
  })
  .meta({ id: 'Enrolment' });
export type Enrolment = z.infer<typeof enrolmentSchema>;

export const enrolSchema = z
  .object({
    cadenceId: id,
    leadIds: z.array(id).min(1).max(1000),
  })
  .strict()
  .meta({ id: 'EnrolRequest' });

export const enrolmentPatchSchema = z
  .object({ action: z.enum(['pause', 'resume', 'remove']) })
  .strict()
  .meta({ id: 'EnrolmentPatch' });

const rate = z.number().min(0).max(1).nullable();

export const cadenceAnalyticsSchema = z
  .object({
    cadences: z.array(
      z.object({
        cadenceId: id,
        name: z.string(),
        archived: z.boolean(),
        enrolled: z.number().int(),
        active: z.number().int(),
        paused: z.number().int(),
        finished: z.number().int(),
        /** Enrolments a reply (e-mail or LinkedIn) paused or ended. */
        stoppedByReply: z.number().int(),
        stoppedByMeeting: z.number().int(),
        /** From enrolling to the first reply, over the enrolments that got one; null: none did. */
        medianDaysToFirstReply: z.number().nullable(),
        steps: z.array(
          z.object({
            index: z.number().int(),
            type: z.string(),
            /** Enrolments whose step this was created for. */
            reached: z.number().int(),
            replies: z.number().int(),
            meetings: z.number().int(),
            /** Replies (meetings) while this was the latest step, over `reached`. */
            replyRate: rate,
            meetingRate: rate,
          }),
        ),
      }),
    ),
    reps: z.array(
      z.object({
        userId: id,
        name: z.string(),
        doneOnTime: z.number().int(),
        doneLate: z.number().int(),
        skipped: z.number().int(),
        /** Open (or snoozed) and past their due time now. */
        overdue: z.number().int(),
        open: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'CadenceAnalytics' });
export type CadenceAnalytics = z.infer<typeof cadenceAnalyticsSchema>;

export const cadenceAnalyticsQuerySchema = z
  .object({
    from: z.iso.date().optional().meta({ description: 'Enrolments and tasks created from this UTC day on' }),
    to: z.iso.date().optional().meta({ description: 'to this UTC day (inclusive)' }),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '`from` must not be after `to`',
    path: ['to'],
  });
