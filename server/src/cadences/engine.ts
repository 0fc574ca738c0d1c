import { type CadenceStep, taskDueIn } from '@leadline/shared';
import type { WorkCalendar } from '@leadline/shared/working-time';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { type Database, statementRunner } from '../db/client';
import { type EventType, emitEvents } from '../db/events';
import { newId } from '../db/ids';
import { cadences, enrolmentHistory, enrolments, leads, tasks } from '../db/schema';
import { userCalendars } from '../tasks/calendar';
import type { CadenceRow } from './enrol';

/** Enrolments one write transaction advances: bounded, so other writers wait milliseconds, not seconds. */
export const ENGINE_BATCH = 500;

export interface PassResult {
  /** Steps this engine claimed and created (tasks, or waits passed). */
  advanced: number;
  tasksCreated: number;
  finished: number;
  /** Due steps another engine claimed first. */
  lost: number;
  batches: number;
}

interface Due {
  id: string;
  workspaceId: string;
  cadenceId: string;
  leadId: string;
  nextStep: number;
  nextDueAt: Date | null;
  fallbackAssigneeId: string | null;
}

/**
 * One pass of the cadence engine at `now` (injectable: tests drive the clock). Each running
 * enrolment whose next step is due gets that one step: its task for the lead's owner (the step's
 * due time, overdue after downtime), and the step after it is scheduled from `now`, so an engine
 * that was down creates one step per enrolment, not a burst. Batches of `ENGINE_BATCH`, each one
 * transaction; a step is claimed by a conditional update of `next_step` checked by rows affected,
 * and the (enrolment, step) unique index backs it, so two engines on one database never create a
 * step twice.
 */
export async function runCadencePass(
  db: Database,
  now = new Date(),
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<PassResult> {
  const batchSize = options.batchSize ?? ENGINE_BATCH;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const result: PassResult = { advanced: 0, tasksCreated: 0, finished: 0, lost: 0, batches: 0 };
  const cadenceCache = new Map<string, CadenceRow>();
  const calendarCache = new Map<string, WorkCalendar>();
  // Enrolments this pass saw but could not advance (claimed elsewhere, no assignee): skipped on re-reads.
  let afterDueAt = 0;
  let afterId = '';
  while (result.batches < maxBatches) {
    const due: Due[] = await db
      .select({
        id: enrolments.id,
        workspaceId: enrolments.workspaceId,
        cadenceId: enrolments.cadenceId,
        leadId: enrolments.leadId,
        nextStep: enrolments.nextStep,
        nextDueAt: enrolments.nextDueAt,
        fallbackAssigneeId: enrolments.fallbackAssigneeId,
      })
      .from(enrolments)
      .where(and(eq(enrolments.state, 'active'), lte(enrolments.nextDueAt, now)))
      .orderBy(asc(enrolments.nextDueAt), asc(enrolments.id))
      .limit(batchSize);
    const fresh = due.filter(
      (row) =>
        (row.nextDueAt?.getTime() ?? 0) > afterDueAt ||
        ((row.nextDueAt?.getTime() ?? 0) === afterDueAt && row.id > afterId),
    );
    if (!fresh.length) break;
    result.batches++;
    await loadCadences(db, fresh, cadenceCache);
    const owners = await ownersOf(db, fresh);
    const assignees = fresh
      .map((row) => owners.get(row.leadId) ?? row.fallbackAssigneeId)
      .filter(Boolean) as string[];
    const missing = assignees.filter((id) => !calendarCache.has(id));
    for (const [id, calendar] of await userCalendars(db, missing)) calendarCache.set(id, calendar);
    const outcome = await db.transaction(async (tx) => {
      const runner = statementRunner(tx);
      const taskRows: (typeof tasks.$inferInsert)[] = [];
      const historyRows: (typeof enrolmentHistory.$inferInsert)[] = [];
      const eventRows: {
        workspaceId: string;
        type: EventType;
        leadId: string;
        data: Record<string, unknown>;
        at: Date;
      }[] = [];
      let advanced = 0;
      let finished = 0;
      let lost = 0;
      for (const row of fresh) {
        const cadence = cadenceCache.get(row.cadenceId);
        const assignee = owners.get(row.leadId) ?? row.fallbackAssigneeId;
        const calendar = assignee ? calendarCache.get(assignee) : undefined;
        const step: CadenceStep | undefined = cadence?.steps[row.nextStep];
        if (!cadence || !step || !assignee || !calendar) {
          const reason = !assignee || !calendar ? 'No owner to give its tasks to' : 'All steps done';
          const state = !assignee || !calendar ? 'paused' : 'finished';
          const claimed = await runner.execute({
            sql: "update enrolments set state = ?, reason = ?, updated_at = ? where id = ? and state = 'active' and next_step = ?",
            args: [state, reason, now.getTime(), row.id, row.nextStep],
          });
          if (claimed.rowsAffected !== 1) {
            lost++;
            continue;
          }
          if (state === 'finished') finished++;
          historyRows.push(history(row, state, now, { reason }));
          eventRows.push(changed(row, cadence, state, reason, now));
          continue;
        }
        const nextIndex = row.nextStep + 1;
        const last = nextIndex >= cadence.steps.length;
        const nextDueAt = last ? null : taskDueIn(calendar, now, cadence.steps[nextIndex]!.delayDays);
        const claimed = await runner.execute({
          sql: "update enrolments set next_step = ?, next_due_at = ?, state = ?, reason = ?, updated_at = ? where id = ? and state = 'active' and next_step = ?",
          args: [
            nextIndex,
            nextDueAt?.getTime() ?? null,
            last ? 'finished' : 'active',
            last ? 'All steps done' : null,
            now.getTime(),
            row.id,
            row.nextStep,
          ],
        });
        if (claimed.rowsAffected !== 1) {
          lost++;
          continue;
        }
        advanced++;
        if (step.type !== 'wait') {
          const dueAt = row.nextDueAt ?? now;
          const task = {
            id: newId(),
            workspaceId: row.workspaceId,
            leadId: row.leadId,
            assigneeId: assignee,
            type: step.type,
            state: 'open' as const,
            note: step.note || null,
            dueAt,
            showAt: dueAt,
            enrolmentId: row.id,
            stepIndex: row.nextStep,
            source: 'cadence' as const,
            createdAt: now,
            updatedAt: now,
          };
          taskRows.push(task);
          historyRows.push(history(row, 'step_created', now, { stepIndex: row.nextStep }));
          eventRows.push({
            workspaceId: row.workspaceId,
            type: 'task.created',
            leadId: row.leadId,
            data: {
              taskId: task.id,
              assigneeId: assignee,
              type: task.type,
              state: 'open',
              dueAt: dueAt.toISOString(),
              enrolmentId: row.id,
              stepIndex: row.nextStep,
            },
            at: now,
          });
        }
        if (last) {
          finished++;
          historyRows.push(history(row, 'finished', now, { reason: 'All steps done' }));
          eventRows.push(changed(row, cadence, 'finished', 'All steps done', now));
        }
      }
      const created = taskRows.length
        ? (await tx.insert(tasks).values(taskRows).onConflictDoNothing().returning({ id: tasks.id })).length
        : 0;
      if (historyRows.length) await tx.insert(enrolmentHistory).values(historyRows);
      await emitEvents(tx, eventRows);
      return { advanced, finished, lost, created };
    });
    result.advanced += outcome.advanced;
    result.finished += outcome.finished;
    result.lost += outcome.lost;
    result.tasksCreated += outcome.created;
    const tail = fresh.at(-1)!;
    afterDueAt = tail.nextDueAt?.getTime() ?? 0;
    afterId = tail.id;
    if (due.length < batchSize) break;
  }
  return result;
}

function history(
  row: Due,
  kind: (typeof enrolmentHistory.$inferInsert)['kind'],
  at: Date,
  details: { stepIndex?: number; reason?: string },
): typeof enrolmentHistory.$inferInsert {
  return {
    id: newId(),
    workspaceId: row.workspaceId,
    enrolmentId: row.id,
    kind,
    stepIndex: details.stepIndex ?? row.nextStep,
    cause: 'engine',
    reason: details.reason ?? null,
    userId: null,
    at,
  };
}

function changed(row: Due, cadence: CadenceRow | undefined, state: string, reason: string, at: Date) {
  return {
    workspaceId: row.workspaceId,
    type: 'enrolment.changed' as const,
    leadId: row.leadId,
    data: {
      enrolmentId: row.id,
      cadenceId: row.cadenceId,
      cadenceName: cadence?.name ?? null,
      state,
      reason,
    },
    at,
  };
}

async function loadCadences(db: Database, rows: readonly Due[], cache: Map<string, CadenceRow>) {
  const missing = [...new Set(rows.map((row) => row.cadenceId))].filter((id) => !cache.has(id));
  if (!missing.length) return;
  for (const cadence of await db.select().from(cadences).where(inArray(cadences.id, missing))) {
    cache.set(cadence.id, cadence);
  }
}

async function ownersOf(db: Database, rows: readonly Due[]): Promise<Map<string, string | null>> {
  const owners = new Map<string, string | null>();
  const found = await db
    .select({ id: leads.id, ownerId: leads.ownerId })
    .from(leads)
    .where(inArray(leads.id, [...new Set(rows.map((row) => row.leadId))]));
  for (const lead of found) owners.set(lead.id, lead.ownerId);
  return owners;
}

/** The engine on a timer in the API process; returns its stop. Overlapping passes are not started. */
export function startCadenceEngine(db: Database, intervalMs: number, clock: () => Date = () => new Date()) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runCadencePass(db, clock());
    } catch (error) {
      console.error('cadence engine:', error);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
