import {
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
import { and, eq, sql } from 'drizzle-orm';
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
import { dueEngagement } from '../scoring/live-scores';
import { type ActiveModel, activeModel } from '../scoring/model.service';
import { liveScore, rawScoreAt } from '../scoring/score-at';
import { addTouchpoint } from '../touchpoints/touchpoints.service';
import { userCalendar } from './calendar';

export type TaskRow = typeof tasks.$inferSelect;
type TaskInput = z.output<typeof taskCreateSchema>;
export type TaskQuery = z.output<typeof taskListQuerySchema>;

/** The lead columns a task is shown and ordered with. */
export const leadColumns = {
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

export const OPEN_TASK = sql`${tasks.state} in ('open', 'snoozed')`;
export const isOpen = (row: Pick<TaskRow, 'state'>) => row.state === 'open' || row.state === 'snoozed';

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
export async function scoresOf(db: Executor, taskLeads: readonly TaskLead[], model: ActiveModel, now: Date) {
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

/** Every task of a lead, newest due first (the per-lead export's section). */
export async function leadTaskRows(db: Executor, workspaceId: string, leadId: string): Promise<TaskRow[]> {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.workspaceId, workspaceId), eq(tasks.leadId, leadId)))
    .orderBy(tasks.dueAt);
}
