import { type CadenceStep, taskDueIn } from '@leadline/shared';
import type { WorkCalendar } from '@leadline/shared/working-time';
import { and, asc, inArray, lte, sql } from 'drizzle-orm';
import { type Database, type Executor, statementRunner } from '../db/client';
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
  // Every due time of a pass counts from the same `now`: one working-time computation per person
  // and delay, not one per enrolment (each is a few luxon date calculations).
  const dueCache = new Map<string, Date>();
  const dueFromNow = (assignee: string, calendar: WorkCalendar, days: number) => {
    const key = `${assignee}\u0000${days}`;
    let due = dueCache.get(key);
    if (!due) {
      due = taskDueIn(calendar, now, days);
      dueCache.set(key, due);
    }
    return due;
  };
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
      // The state literal, not bound: SQLite uses the partial index (state = 'active') only then.
      .where(and(sql`${enrolments.state} = 'active'`, lte(enrolments.nextDueAt, now)))
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
    // What each due enrolment becomes, decided before the transaction (pure computation).
    const plans = fresh.map((row) =>
      planStep(row, cadenceCache.get(row.cadenceId), owners, calendarCache, dueFromNow),
    );
    const outcome = await db.transaction(async (tx) => {
      const claimed = await claim(tx, plans, now);
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
      for (const plan of plans) {
        const { row, cadence } = plan;
        if (!claimed.has(row.id)) continue;
        if (plan.kind === 'halt') {
          if (plan.state === 'finished') finished++;
          historyRows.push(history(row, plan.state, now, { reason: plan.reason }));
          eventRows.push(changed(row, cadence, plan.state, plan.reason, now));
          continue;
        }
        advanced++;
        if (plan.step.type !== 'wait') {
          const dueAt = row.nextDueAt ?? now;
          const task = {
            id: newId(),
            workspaceId: row.workspaceId,
            leadId: row.leadId,
            assigneeId: plan.assignee,
            type: plan.step.type,
            state: 'open' as const,
            note: plan.step.note || null,
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
              assigneeId: plan.assignee,
              type: task.type,
              state: 'open',
              dueAt: dueAt.toISOString(),
              enrolmentId: row.id,
              stepIndex: row.nextStep,
            },
            at: now,
          });
        }
        if (plan.state === 'finished') {
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
      return { advanced, finished, lost: plans.length - claimed.size, created };
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

type Plan =
  | {
      kind: 'step';
      row: Due;
      cadence: CadenceRow;
      step: CadenceStep;
      assignee: string;
      nextStep: number;
      nextDueAt: Date | null;
      state: 'active' | 'finished';
      reason: string | null;
    }
  | {
      kind: 'halt';
      row: Due;
      cadence: CadenceRow | undefined;
      nextStep: number;
      nextDueAt: Date | null;
      state: 'paused' | 'finished';
      reason: string;
    };

/**
 * What one due enrolment becomes: its step created and the next one scheduled from now (or the
 * last one, and it finishes); with no step left it finishes; with nobody to give tasks to it pauses.
 */
function planStep(
  row: Due,
  cadence: CadenceRow | undefined,
  owners: Map<string, string | null>,
  calendars: Map<string, WorkCalendar>,
  dueFromNow: (assignee: string, calendar: WorkCalendar, days: number) => Date,
): Plan {
  const assignee = owners.get(row.leadId) ?? row.fallbackAssigneeId;
  const calendar = assignee ? calendars.get(assignee) : undefined;
  const step = cadence?.steps[row.nextStep];
  const halt = { kind: 'halt' as const, row, cadence, nextStep: row.nextStep, nextDueAt: row.nextDueAt };
  if (!cadence || !step) return { ...halt, state: 'finished', reason: 'All steps done' };
  if (!assignee || !calendar) return { ...halt, state: 'paused', reason: 'No owner to give its tasks to' };
  const nextStep = row.nextStep + 1;
  const last = nextStep >= cadence.steps.length;
  return {
    kind: 'step',
    row,
    cadence,
    step,
    assignee,
    nextStep,
    nextDueAt: last ? null : dueFromNow(assignee, calendar, cadence.steps[nextStep]!.delayDays),
    state: last ? 'finished' : 'active',
    reason: last ? 'All steps done' : null,
  };
}

/**
 * Claims a batch's steps in one conditional update: an enrolment changes only while it is still
 * active at the step this engine read, and the rows it returns are the claims won. Another engine
 * that got there first has moved `next_step` on, so its rows are not returned here.
 */
async function claim(tx: Executor, plans: readonly Plan[], now: Date): Promise<Set<string>> {
  if (!plans.length) return new Set();
  const args: (string | number | null)[] = [now.getTime()];
  const values: string[] = [];
  for (const plan of plans) {
    values.push('(?, ?, ?, ?, ?, ?)');
    args.push(
      plan.row.id,
      plan.row.nextStep,
      plan.nextStep,
      plan.nextDueAt?.getTime() ?? null,
      plan.state,
      plan.reason,
    );
  }
  const { rows } = await statementRunner(tx).execute({
    sql: `update enrolments set next_step = c.column3, next_due_at = c.column4, state = c.column5,
            reason = c.column6, updated_at = ?
          from (values ${values.join(', ')}) as c
          where enrolments.id = c.column1 and enrolments.next_step = c.column2 and enrolments.state = 'active'
          returning enrolments.id`,
    args,
  });
  return new Set(rows.map((row) => String(row[0])));
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
