import {
  endOfLocalDay,
  endOfLocalWeek,
  snoozeUntil,
  TASK_OUTCOMES,
  type Task,
  type TaskPatch,
  type TaskType,
  type taskCreateSchema,
  taskDueIn,
  type taskListQuerySchema,
  taskOutcome,
} from '@leadline/shared';
import { and, eq, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { authorize } from '../auth/permissions';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import type { LeadRow } from '../db/lead-row';
import { enrolmentHistory, leads, tasks } from '../db/schema';
import { findLead, findLeadFor } from '../leads/leads.service';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { liveScore, rawScoreAt } from '../scoring/lead-scoring';
import { dueEngagement } from '../scoring/live-scores';
import { type ActiveModel, activeModel } from '../scoring/model.service';
import { addTouchpoint } from '../touchpoints/touchpoints.service';
import { userCalendar } from './calendar';

export type TaskRow = typeof tasks.$inferSelect;
type TaskInput = z.output<typeof taskCreateSchema>;
export type TaskQuery = z.output<typeof taskListQuerySchema>;

/** The lead columns a task is shown and ordered with. */
const leadColumns = {
  id: leads.id,
  fullName: leads.fullName,
  email: leads.email,
  company: leads.company,
  stage: leads.stage,
  fit: leads.fit,
  engagementKey: leads.engagementKey,
  pendingTouchAt: leads.pendingTouchAt,
};
type TaskLead = { [K in keyof typeof leadColumns]: LeadRow[K] };

const OPEN_TASK = sql`${tasks.state} in ('open', 'snoozed')`;
const isOpen = (row: Pick<TaskRow, 'state'>) => row.state === 'open' || row.state === 'snoozed';

export function toWireTask(row: TaskRow, lead: TaskLead, score: number, now: Date): Task {
  return {
    id: row.id,
    leadId: row.leadId,
    assigneeId: row.assigneeId,
    type: row.type,
    state: row.state,
    note: row.note,
    dueAt: row.dueAt.toISOString(),
    snoozedUntil: row.snoozedUntil?.toISOString() ?? null,
    showAt: row.showAt.toISOString(),
    overdue: isOpen(row) && row.showAt.getTime() < now.getTime(),
    outcome: row.outcome,
    touchpointId: row.touchpointId,
    enrolmentId: row.enrolmentId,
    stepIndex: row.stepIndex,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    lead: {
      id: lead.id,
      name: lead.fullName ?? lead.email ?? lead.company ?? 'Unnamed lead',
      company: lead.company,
      stage: lead.stage,
      score,
    },
  };
}

/** Live scores of the leads of some tasks at `now`: the queue's order (a due, unfolded touch counts). */
async function scoresOf(db: Executor, taskLeads: readonly TaskLead[], model: ActiveModel, now: Date) {
  const atMs = now.getTime();
  const due = await dueEngagement(
    db,
    taskLeads.filter((lead) => lead.pendingTouchAt && lead.pendingTouchAt.getTime() <= atMs).map((l) => l.id),
    model,
    atMs,
  );
  const scores = new Map<string, { score: number; raw: number }>();
  for (const lead of taskLeads) {
    if (scores.has(lead.id)) continue;
    const key = due.get(lead.id)?.engagementKey ?? lead.engagementKey;
    const score = liveScore({ fit: lead.fit, engagementKey: key }, model, atMs).score;
    scores.set(lead.id, { score, raw: rawScoreAt(lead.fit, key, model, atMs) });
  }
  return scores;
}

/** One task as the API answers it, scored now. */
export async function wireTask(db: Executor, row: TaskRow, now = new Date()): Promise<Task> {
  const [lead] = await db.select(leadColumns).from(leads).where(eq(leads.id, row.leadId));
  const model = await activeModel(db, row.workspaceId);
  const score = (await scoresOf(db, [lead!], model, now)).get(lead!.id)!.score;
  return toWireTask(row, lead!, score, now);
}

/** Whom a task goes to: the one asked for (a rep only themselves or the lead's owner), else the owner, else you. */
function assigneeFor(principal: Principal, lead: LeadRow, asked: string | undefined): string {
  const assignee = asked ?? lead.ownerId ?? principal.userId;
  if (principal.role === 'rep' && assignee !== principal.userId && assignee !== lead.ownerId) {
    throw new ProblemException(
      'forbidden',
      "A rep may give a task only to themselves or to the lead's owner [task.manage]",
      undefined,
      { action: 'task.manage' },
    );
  }
  return assignee;
}

export async function createTask(
  tx: Executor,
  principal: Principal,
  input: TaskInput,
  now = new Date(),
): Promise<TaskRow> {
  const lead = await findLeadFor(tx, principal, input.leadId, 'task.manage');
  const assigneeId = assigneeFor(principal, lead, input.assigneeId);
  const calendar = await userCalendar(tx, principal.workspaceId, assigneeId);
  const dueAt = input.dueAt ? new Date(input.dueAt) : taskDueIn(calendar, now, input.dueInDays ?? 0);
  const [row] = await tx
    .insert(tasks)
    .values({
      id: newId(),
      workspaceId: principal.workspaceId,
      leadId: lead.id,
      assigneeId,
      type: input.type,
      state: 'open',
      note: input.note || null,
      dueAt,
      showAt: dueAt,
      source: input.source,
      createdBy: principal.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await emitEvent(tx, principal.workspaceId, 'task.created', lead.id, taskEventData(row!), now);
  return row!;
}

function taskEventData(row: TaskRow) {
  return {
    taskId: row.id,
    assigneeId: row.assigneeId,
    type: row.type,
    state: row.state,
    dueAt: row.dueAt.toISOString(),
    showAt: row.showAt.toISOString(),
    outcome: row.outcome,
    touchpointId: row.touchpointId,
    enrolmentId: row.enrolmentId,
  };
}

export async function findTask(db: Executor, workspaceId: string, id: string): Promise<TaskRow> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.id, id)));
  if (!row) throw new ProblemException('not-found', `No task ${id} in this workspace`);
  return row;
}

function outcomeProblem(type: TaskType, given: string | undefined) {
  const known = TASK_OUTCOMES[type].map((outcome) => outcome.id).join(', ');
  const message = given
    ? `Unknown outcome ${JSON.stringify(given)} for a ${type} task; known outcomes: ${known}`
    : `Say how the ${type} went: outcome is one of ${known}`;
  return new ProblemException('validation', message, [{ path: ['outcome'], message, code: 'custom' }]);
}

/**
 * Changes a task. Done logs the touchpoint its outcome names through the touchpoint service (so
 * scoring, stage moves and cadence stops follow as for any touch); skipped and snoozed take it
 * out of the queue (until the snooze ends); a cadence step's history records done and skipped.
 */
export async function updateTask(
  tx: Executor,
  principal: Principal,
  id: string,
  patch: TaskPatch,
  now = new Date(),
): Promise<TaskRow> {
  const before = await findTask(tx, principal.workspaceId, id);
  const lead = await findLead(tx, principal.workspaceId, before.leadId);
  authorize(principal, 'task.manage', { ownerId: lead.ownerId });
  const set: Partial<typeof tasks.$inferInsert> = { updatedAt: now };
  let completed = false;
  const closedAlready = !isOpen(before);

  if (patch.note !== undefined) set.note = patch.note || null;
  if (patch.assigneeId !== undefined && patch.assigneeId !== before.assigneeId) {
    set.assigneeId = assigneeFor(principal, lead, patch.assigneeId);
    await userCalendar(tx, principal.workspaceId, set.assigneeId);
  }
  if (patch.dueAt !== undefined) {
    if (closedAlready)
      throw new ProblemException('conflict', `Task ${id} is ${before.state}: reopen it first`);
    Object.assign(set, {
      dueAt: new Date(patch.dueAt),
      snoozedUntil: null,
      showAt: new Date(patch.dueAt),
      state: 'open',
    });
  }
  if (patch.snooze) {
    if (closedAlready)
      throw new ProblemException('conflict', `Task ${id} is ${before.state}: reopen it first`);
    const calendar = await userCalendar(tx, principal.workspaceId, set.assigneeId ?? before.assigneeId);
    const until = snoozeUntil(calendar, now, patch.snooze);
    Object.assign(set, { state: 'snoozed', snoozedUntil: until, showAt: until });
  }
  if (patch.state === 'done') {
    if (closedAlready) throw new ProblemException('conflict', `Task ${id} is already ${before.state}`);
    const outcome = taskOutcome(before.type, patch.outcome);
    if (!outcome) throw outcomeProblem(before.type, patch.outcome);
    const note = [outcome.note, patch.note ?? before.note].filter(Boolean).join(': ') || undefined;
    const touchpoint = await addTouchpoint(tx, principal, lead, { type: outcome.touchpoint, note }, now);
    Object.assign(set, { state: 'done', outcome: outcome.id, touchpointId: touchpoint.id, completedAt: now });
    completed = true;
  } else if (patch.state === 'skipped') {
    if (closedAlready) throw new ProblemException('conflict', `Task ${id} is already ${before.state}`);
    Object.assign(set, { state: 'skipped', completedAt: now });
  } else if (patch.state === 'open') {
    if (before.state === 'done') {
      throw new ProblemException(
        'conflict',
        `Task ${id} is done: its touchpoint was logged (undo that instead)`,
      );
    }
    Object.assign(set, {
      state: 'open',
      snoozedUntil: null,
      showAt: set.dueAt ?? before.dueAt,
      completedAt: null,
    });
  } else if (patch.outcome !== undefined) {
    throw new ProblemException('validation', 'outcome goes with state "done"', [
      { path: ['outcome'], message: 'outcome goes with state "done"', code: 'custom' },
    ]);
  }

  const [row] = await tx.update(tasks).set(set).where(eq(tasks.id, id)).returning();
  if (row!.enrolmentId && (row!.state === 'done' || row!.state === 'skipped') && !closedAlready) {
    await tx.insert(enrolmentHistory).values({
      id: newId(),
      workspaceId: row!.workspaceId,
      enrolmentId: row!.enrolmentId,
      kind: row!.state === 'done' ? 'step_done' : 'step_skipped',
      stepIndex: row!.stepIndex,
      reason: row!.outcome,
      userId: principal.userId,
      at: now,
    });
  }
  await emitEvent(
    tx,
    principal.workspaceId,
    completed ? 'task.completed' : 'task.updated',
    row!.leadId,
    { ...taskEventData(row!), by: principal.userId },
    now,
  );
  return row!;
}

/**
 * A queue of tasks: overdue first, then the rest by when they show, each group with the hottest
 * lead first (its live score now). `today` and `week` end at the assignee's local midnight.
 */
export async function listTasks(
  db: Executor,
  principal: Principal,
  query: TaskQuery,
  now = new Date(),
): Promise<{ items: Task[]; total: number; overdue: number }> {
  const { workspaceId } = principal;
  const filters: SQL[] = [eq(tasks.workspaceId, workspaceId)];
  let assignee: string | null = null;
  if (query.assignee === 'me') assignee = principal.userId;
  else if (query.assignee !== 'any') assignee = query.assignee;
  if (query.leadId) {
    const lead = await findLead(db, workspaceId, query.leadId);
    authorize(principal, 'lead.read', { ownerId: lead.ownerId });
    filters.push(eq(tasks.leadId, lead.id));
  } else if (principal.role === 'rep' && assignee !== principal.userId) {
    throw new ProblemException(
      'forbidden',
      "A rep may list only their own tasks, or one lead's tasks [task.manage]",
      undefined,
      { action: 'task.manage' },
    );
  }
  if (assignee) filters.push(eq(tasks.assigneeId, assignee));
  // Literal, not bound: SQLite uses the partial index (state in ('open', 'snoozed')) only then.
  if (query.state === 'open') filters.push(OPEN_TASK);
  if (query.due !== 'any') {
    const calendar = await userCalendar(db, workspaceId, assignee ?? principal.userId);
    const bound =
      query.due === 'overdue'
        ? now
        : query.due === 'today'
          ? endOfLocalDay(calendar, now)
          : endOfLocalWeek(calendar, now);
    filters.push(query.due === 'overdue' ? lt(tasks.showAt, bound) : lte(tasks.showAt, bound));
  }
  const model = await activeModel(db, workspaceId);
  const atMs = now.getTime();
  const overdue = sql<number>`(${tasks.showAt} < ${atMs})`;
  const dueTouch = sql`${leads.pendingTouchAt} <= ${atMs}`;
  const where = and(...filters);
  // Ranked in SQL by the live score's own formula (scoresInSql), hottest first within overdue and
  // the rest; only the page is read as rows. Leads with a touchpoint that came due but is not
  // folded yet (their stored key is stale, and the timer folds them soon) are few: scored apart.
  const [ranked, stale, [counts]] = await Promise.all([
    db
      .select({ id: tasks.id })
      .from(tasks)
      .innerJoin(leads, eq(leads.id, tasks.leadId))
      .where(and(where, sql`not coalesce(${dueTouch}, 0)`))
      .orderBy(sql`${overdue} desc`, sql`${rawScoreSql(model, atMs)} desc`, tasks.showAt, tasks.id)
      .limit(query.limit),
    db
      .select({ id: tasks.id })
      .from(tasks)
      .innerJoin(leads, eq(leads.id, tasks.leadId))
      .where(and(where, dueTouch)),
    db
      .select({ total: sql<number>`count(*)`, overdue: sql<number>`coalesce(sum(${overdue}), 0)` })
      .from(tasks)
      .innerJoin(leads, eq(leads.id, tasks.leadId))
      .where(where),
  ]);
  const ids = [...ranked, ...stale].map((row) => row.id);
  const rows = ids.length
    ? await db
        .select({ task: tasks, lead: leadColumns })
        .from(tasks)
        .innerJoin(leads, eq(leads.id, tasks.leadId))
        .where(inArray(tasks.id, ids))
    : [];
  const scores = await scoresOf(
    db,
    rows.map((row) => row.lead),
    model,
    now,
  );
  const overdueOf = (row: TaskRow) => isOpen(row) && row.showAt.getTime() < atMs;
  const sorted = rows
    .map((row) => ({ ...row, raw: scores.get(row.lead.id)!.raw, overdue: overdueOf(row.task) }))
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        b.raw - a.raw ||
        a.task.showAt.getTime() - b.task.showAt.getTime() ||
        (a.task.id < b.task.id ? -1 : 1),
    );
  return {
    items: sorted
      .slice(0, query.limit)
      .map((row) => toWireTask(row.task, row.lead, scores.get(row.lead.id)!.score, now)),
    total: Number(counts?.total ?? 0),
    overdue: Number(counts?.overdue ?? 0),
  };
}

/**
 * The unrounded live score of `rawScoreAt` as SQL over the lead's stored fit and engagement key at
 * `atMs`: fit and engagement weighted, engagement decayed from its key and through the model's
 * curve (`power` exists in libSQL, embedded and sqld).
 */
function rawScoreSql(model: ActiveModel, atMs: number): SQL {
  const { weights, engagementCurve } = model.document;
  const decay = model.halfLifeMs === null ? 0 : (atMs - model.landmarkMs) / model.halfLifeMs;
  const engagement = sql`coalesce(power(2.0, ${leads.engagementKey} - ${decay}), 0.0)`;
  const curve =
    engagementCurve.kind === 'cap'
      ? sql`min(${engagement}, 100.0)`
      : sql`100.0 * (1.0 - power(2.0, -(${engagement}) / ${engagementCurve.halfAt}))`;
  return sql`(${weights.fit} * ${leads.fit} + ${weights.engagement} * ${curve})`;
}

/** Every task of a lead, newest due first (the per-lead export's section). */
export async function leadTaskRows(db: Executor, workspaceId: string, leadId: string): Promise<TaskRow[]> {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.leadId, leadId)))
    .orderBy(tasks.dueAt);
}
