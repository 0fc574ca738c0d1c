import type { CadenceStep, Enrolment } from '@leadline/shared';
import { taskDueIn } from '@leadline/shared';
import type { WorkCalendar } from '@leadline/shared/working-time';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { newId } from '../db/ids';
import { cadences, enrolmentHistory, enrolments } from '../db/schema';
import { userCalendar } from '../tasks/calendar';

export type CadenceRow = typeof cadences.$inferSelect;
export type EnrolmentRow = typeof enrolments.$inferSelect;
type HistoryKind = (typeof enrolmentHistory.$inferInsert)['kind'];

export const LIVE_STATES = ['active', 'paused'] as const;

/** When step `index` of a cadence falls due, counted from `from` in the assignee's working time. */
export function stepDueAt(
  steps: readonly CadenceStep[],
  index: number,
  calendar: WorkCalendar,
  from: Date,
): Date | null {
  const step = steps[index];
  return step ? taskDueIn(calendar, from, step.delayDays) : null;
}

export async function recordHistory(
  tx: Executor,
  enrolment: Pick<EnrolmentRow, 'id' | 'workspaceId'>,
  kind: HistoryKind,
  at: Date,
  details: {
    stepIndex?: number | null;
    cause?: string | null;
    reason?: string | null;
    userId?: string | null;
  } = {},
) {
  await tx.insert(enrolmentHistory).values({
    id: newId(),
    workspaceId: enrolment.workspaceId,
    enrolmentId: enrolment.id,
    kind,
    stepIndex: details.stepIndex ?? null,
    cause: details.cause ?? null,
    reason: details.reason ?? null,
    userId: details.userId ?? null,
    at,
  });
}

/**
 * Enrols a lead in a cadence (no permission check: the caller made it), unless it already runs
 * there. Tasks go to the lead's owner, or to `fallbackAssigneeId` while it has none.
 */
export async function insertEnrolment(
  tx: Executor,
  cadence: CadenceRow,
  lead: { id: string; ownerId: string | null },
  by: { userId: string | null; fallbackAssigneeId: string | null; cause: 'rep' | 'rule' | 'recycle' },
  now: Date,
): Promise<EnrolmentRow | null> {
  const [live] = await tx
    .select({ id: enrolments.id })
    .from(enrolments)
    .where(
      and(
        eq(enrolments.cadenceId, cadence.id),
        eq(enrolments.leadId, lead.id),
        inArray(enrolments.state, [...LIVE_STATES]),
      ),
    );
  if (live) return null;
  const assignee = lead.ownerId ?? by.fallbackAssigneeId;
  const calendar = assignee ? await userCalendar(tx, cadence.workspaceId, assignee) : null;
  const nextDueAt = calendar ? stepDueAt(cadence.steps, 0, calendar, now) : now;
  const [row] = await tx
    .insert(enrolments)
    .values({
      id: newId(),
      workspaceId: cadence.workspaceId,
      cadenceId: cadence.id,
      leadId: lead.id,
      state: 'active',
      nextStep: 0,
      nextDueAt,
      fallbackAssigneeId: by.fallbackAssigneeId,
      enrolledBy: by.userId,
      enrolledAt: now,
      updatedAt: now,
    })
    .returning();
  await recordHistory(tx, row!, 'enrolled', now, { cause: by.cause, userId: by.userId });
  await emitEvent(
    tx,
    cadence.workspaceId,
    'enrolment.changed',
    lead.id,
    enrolmentEventData(row!, cadence),
    now,
  );
  return row!;
}

export function enrolmentEventData(row: EnrolmentRow, cadence: Pick<CadenceRow, 'name'>) {
  return {
    enrolmentId: row.id,
    cadenceId: row.cadenceId,
    cadenceName: cadence.name,
    state: row.state,
    reason: row.reason,
    nextStep: row.nextStep,
  };
}

/**
 * Moves a running or paused enrolment to `state` with its reason, once: the conditional update
 * changes nothing when another write got there first (then nothing is recorded either).
 */
export async function changeEnrolmentState(
  tx: Executor,
  enrolment: EnrolmentRow,
  cadence: Pick<CadenceRow, 'name'>,
  change: {
    state: EnrolmentRow['state'];
    kind: HistoryKind;
    cause?: string;
    reason: string | null;
    userId?: string | null;
    nextDueAt?: Date | null;
  },
  now: Date,
): Promise<EnrolmentRow | null> {
  const [row] = await tx
    .update(enrolments)
    .set({
      state: change.state,
      reason: change.reason,
      updatedAt: now,
      ...(change.nextDueAt !== undefined ? { nextDueAt: change.nextDueAt } : {}),
    })
    .where(and(eq(enrolments.id, enrolment.id), eq(enrolments.state, enrolment.state)))
    .returning();
  if (!row) return null;
  await recordHistory(tx, row, change.kind, now, {
    stepIndex: row.nextStep,
    cause: change.cause,
    reason: change.reason,
    userId: change.userId,
  });
  await emitEvent(
    tx,
    row.workspaceId,
    'enrolment.changed',
    row.leadId,
    enrolmentEventData(row, cadence),
    now,
  );
  return row;
}

/** A lead's enrolments, newest first, each with its history: what the lead shows and exports. */
export async function leadEnrolments(
  db: Executor,
  workspaceId: string,
  leadId: string,
): Promise<Enrolment[]> {
  const rows = await db
    .select({ enrolment: enrolments, cadence: { name: cadences.name, steps: cadences.steps } })
    .from(enrolments)
    .innerJoin(cadences, eq(cadences.id, enrolments.cadenceId))
    .where(and(eq(enrolments.workspaceId, workspaceId), eq(enrolments.leadId, leadId)))
    .orderBy(asc(enrolments.enrolledAt));
  if (!rows.length) return [];
  const history = await db
    .select()
    .from(enrolmentHistory)
    .where(
      inArray(
        enrolmentHistory.enrolmentId,
        rows.map((row) => row.enrolment.id),
      ),
    )
    .orderBy(asc(enrolmentHistory.at), asc(enrolmentHistory.id));
  return rows
    .map(({ enrolment, cadence }) => ({
      id: enrolment.id,
      cadenceId: enrolment.cadenceId,
      cadenceName: cadence.name,
      leadId: enrolment.leadId,
      state: enrolment.state,
      nextStep: enrolment.nextStep,
      nextDueAt: enrolment.state === 'active' ? (enrolment.nextDueAt?.toISOString() ?? null) : null,
      stepCount: cadence.steps.length,
      reason: enrolment.reason,
      enrolledBy: enrolment.enrolledBy,
      enrolledAt: enrolment.enrolledAt.toISOString(),
      history: history
        .filter((entry) => entry.enrolmentId === enrolment.id)
        .map((entry) => ({
          kind: entry.kind,
          stepIndex: entry.stepIndex,
          reason: entry.reason,
          userId: entry.userId,
          at: entry.at.toISOString(),
        })),
    }))
    .reverse();
}
