import {
  type Cadence,
  type cadenceInputSchema,
  type Enrolment,
  STAGE_LABELS,
  taskDueIn,
} from '@leadline/shared';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import { cadences, enrolments, leads, users } from '../db/schema';
import { recordStageChange } from '../db/stage-changes';
import { findLeadFor } from '../leads/leads.service';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { userCalendar } from '../tasks/calendar';
import {
  type CadenceRow,
  changeEnrolmentState,
  type EnrolmentRow,
  insertEnrolment,
  LIVE_STATES,
  leadEnrolments,
} from './enrol';

type CadenceInput = z.output<typeof cadenceInputSchema>;

export function toWireCadence(row: CadenceRow, active: number): Cadence {
  return {
    id: row.id,
    name: row.name,
    nurture: row.nurture,
    onReply: row.onReply,
    companyWide: row.companyWide,
    steps: row.steps,
    rule: row.rule ?? null,
    archived: row.archived,
    active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listCadences(db: Executor, workspaceId: string): Promise<Cadence[]> {
  const rows = await db
    .select()
    .from(cadences)
    .where(eq(cadences.workspaceId, workspaceId))
    .orderBy(asc(cadences.archived), asc(cadences.name));
  const counts = await db
    .select({ cadenceId: enrolments.cadenceId, n: count() })
    .from(enrolments)
    .where(and(eq(enrolments.workspaceId, workspaceId), inArray(enrolments.state, [...LIVE_STATES])))
    .groupBy(enrolments.cadenceId);
  const active = new Map(counts.map((row) => [row.cadenceId, row.n]));
  return rows.map((row) => toWireCadence(row, active.get(row.id) ?? 0));
}

export async function findCadence(db: Executor, workspaceId: string, id: string): Promise<CadenceRow> {
  const [row] = await db
    .select()
    .from(cadences)
    .where(and(eq(cadences.workspaceId, workspaceId), eq(cadences.id, id)));
  if (!row) throw new ProblemException('not-found', `No cadence ${id} in this workspace`);
  return row;
}

export async function createCadence(
  tx: Executor,
  principal: Principal,
  input: CadenceInput,
  now = new Date(),
) {
  const [row] = await tx
    .insert(cadences)
    .values({
      id: newId(),
      workspaceId: principal.workspaceId,
      ...input,
      archived: false,
      createdBy: principal.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await emitEvent(tx, principal.workspaceId, 'cadence.changed', null, { cadenceId: row!.id }, now);
  return toWireCadence(row!, 0);
}

/**
 * Replaces a cadence's name, steps, stops and rule. Running enrolments keep their place: the step
 * they wait for is the new list's step of that number (past the end, they finish).
 */
export async function updateCadence(
  tx: Executor,
  principal: Principal,
  id: string,
  input: CadenceInput,
  now = new Date(),
) {
  const before = await findCadence(tx, principal.workspaceId, id);
  if (before.archived) throw new ProblemException('conflict', `Cadence ${id} is archived`);
  const [row] = await tx
    .update(cadences)
    .set({ ...input, updatedAt: now })
    .where(eq(cadences.id, id))
    .returning();
  await emitEvent(tx, principal.workspaceId, 'cadence.changed', null, { cadenceId: id }, now);
  const [live] = await tx
    .select({ n: count() })
    .from(enrolments)
    .where(and(eq(enrolments.cadenceId, id), inArray(enrolments.state, [...LIVE_STATES])));
  return toWireCadence(row!, live?.n ?? 0);
}

/** Archives a cadence: it enrols nobody more, and its running enrolments end with that reason. */
export async function archiveCadence(tx: Executor, principal: Principal, id: string, now = new Date()) {
  const cadence = await findCadence(tx, principal.workspaceId, id);
  await tx.update(cadences).set({ archived: true, updatedAt: now }).where(eq(cadences.id, id));
  const running = await tx
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.cadenceId, id), inArray(enrolments.state, [...LIVE_STATES])));
  for (const enrolment of running) {
    await changeEnrolmentState(
      tx,
      enrolment,
      cadence,
      {
        state: 'removed',
        kind: 'removed',
        cause: 'archived',
        reason: 'Cadence archived',
        userId: principal.userId,
      },
      now,
    );
  }
  await emitEvent(tx, principal.workspaceId, 'cadence.changed', null, { cadenceId: id, archived: true }, now);
}

/**
 * Enrols leads by hand (one from the panel, several from a list): each must be one the principal
 * may work; a lead already running in the cadence is reported, not enrolled twice.
 */
export async function enrolLeads(
  tx: Executor,
  principal: Principal,
  cadenceId: string,
  leadIds: readonly string[],
  now = new Date(),
  cause: 'rep' | 'recycle' = 'rep',
) {
  const cadence = await findCadence(tx, principal.workspaceId, cadenceId);
  if (cadence.archived) throw new ProblemException('conflict', `Cadence ${cadence.name} is archived`);
  const enrolled: string[] = [];
  const skipped: { leadId: string; reason: string }[] = [];
  for (const leadId of new Set(leadIds)) {
    const lead = await findLeadFor(tx, principal, leadId, 'cadence.enrol');
    const row = await insertEnrolment(
      tx,
      cadence,
      lead,
      { userId: principal.userId, fallbackAssigneeId: principal.userId, cause },
      now,
    );
    if (row) enrolled.push(row.id);
    else skipped.push({ leadId, reason: `Already in ${cadence.name}` });
  }
  return { enrolled, skipped };
}

export async function findEnrolment(db: Executor, workspaceId: string, id: string): Promise<EnrolmentRow> {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.workspaceId, workspaceId), eq(enrolments.id, id)));
  if (!row) throw new ProblemException('not-found', `No enrolment ${id} in this workspace`);
  return row;
}

async function nameOf(db: Executor, userId: string) {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? 'someone';
}

/** A rep pauses, resumes or removes an enrolment; a resumed one waits its step's delay from now. */
export async function changeEnrolment(
  tx: Executor,
  principal: Principal,
  id: string,
  action: 'pause' | 'resume' | 'remove',
  now = new Date(),
): Promise<Enrolment> {
  const enrolment = await findEnrolment(tx, principal.workspaceId, id);
  const lead = await findLeadFor(tx, principal, enrolment.leadId, 'cadence.enrol');
  const cadence = await findCadence(tx, principal.workspaceId, enrolment.cadenceId);
  const who = await nameOf(tx, principal.userId);
  const fail = (why: string) => {
    throw new ProblemException('conflict', `Cannot ${action} this enrolment: ${why}`);
  };
  if (action === 'pause') {
    if (enrolment.state !== 'active') fail(`it is ${enrolment.state}`);
    await changeEnrolmentState(
      tx,
      enrolment,
      cadence,
      { state: 'paused', kind: 'paused', cause: 'rep', reason: `Paused by ${who}`, userId: principal.userId },
      now,
    );
  } else if (action === 'resume') {
    if (enrolment.state !== 'paused') fail(`it is ${enrolment.state}`);
    if (cadence.archived) fail('its cadence is archived');
    const assignee = lead.ownerId ?? enrolment.fallbackAssigneeId ?? principal.userId;
    const calendar = await userCalendar(tx, principal.workspaceId, assignee);
    const step = cadence.steps[enrolment.nextStep];
    const nextDueAt = step ? taskDueIn(calendar, now, step.delayDays) : now;
    await changeEnrolmentState(
      tx,
      enrolment,
      cadence,
      { state: 'active', kind: 'resumed', cause: 'rep', reason: null, userId: principal.userId, nextDueAt },
      now,
    );
  } else {
    if (!LIVE_STATES.includes(enrolment.state as (typeof LIVE_STATES)[number]))
      fail(`it is ${enrolment.state}`);
    await changeEnrolmentState(
      tx,
      enrolment,
      cadence,
      {
        state: 'removed',
        kind: 'removed',
        cause: 'rep',
        reason: `Removed by ${who}`,
        userId: principal.userId,
      },
      now,
    );
  }
  const all = await leadEnrolments(tx, principal.workspaceId, enrolment.leadId);
  return all.find((entry) => entry.id === id)!;
}

/**
 * Recycles a cold SQL back to nurture: the stage moves to nurture (recorded with the cause
 * `recycle`) and the lead is enrolled in the nurture cadence chosen.
 */
export async function recycleLead(
  tx: Executor,
  principal: Principal,
  leadId: string,
  cadenceId: string,
  now = new Date(),
) {
  const lead = await findLeadFor(tx, principal, leadId, 'lead.edit');
  const cadence = await findCadence(tx, principal.workspaceId, cadenceId);
  if (!cadence.nurture) {
    throw new ProblemException('validation', `${cadence.name} is not a nurture cadence`, [
      { path: ['cadenceId'], message: 'Recycle enrols in a nurture cadence', code: 'custom' },
    ]);
  }
  if (lead.stage !== 'sql') {
    throw new ProblemException(
      'conflict',
      `Only an SQL is recycled; this lead is ${STAGE_LABELS[lead.stage]}`,
    );
  }
  await tx.update(leads).set({ stage: 'nurture', updatedAt: now }).where(eq(leads.id, lead.id));
  await recordStageChange(tx, principal, lead.id, lead.stage, 'nurture', 'recycle', now);
  await emitEvent(
    tx,
    principal.workspaceId,
    'lead.stage_changed',
    lead.id,
    { from: lead.stage, to: 'nurture', cause: 'recycle', cadenceId },
    now,
  );
  return enrolLeads(tx, principal, cadenceId, [lead.id], now, 'recycle');
}

/** A lead's tasks and enrolments with their history: a section of the per-lead export. */
export { leadEnrolments };
