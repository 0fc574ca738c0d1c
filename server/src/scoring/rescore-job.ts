import {
  compileFit,
  type FieldValue,
  type LeadStage,
  nextAutomaticStage,
  type ScoringModel,
  scoringModelSchema,
} from '@leadline/shared';
import type { InValue } from '@libsql/client';
import { and, eq, sql } from 'drizzle-orm';
import { onStagesReached } from '../cadences/stops';
import { type Database, type Executor, isDatabaseBusy, statementRunner } from '../db/client';
import { emitEvent } from '../db/events';
import { bulkWrites } from '../db/group-commit';
import { newId } from '../db/ids';
import { leads, rescoreJobs, rescoreStaging, stageChanges } from '../db/schema';
import { ProblemException } from '../lib/problem';
import { DeferredIndexes, indexesOver } from './deferred-indexes';
import { EngagementFold } from './lead-scoring';
import { type ActiveModel, activeModel, insertModelVersion, modelFromDocument } from './model.service';
import { ENGAGEMENT_COLUMNS, engagementChanged, engagementOf, FIT_COLUMNS, fitChanged } from './rescore';
import { liveScore } from './score-at';

/**
 * A model change applied in slices (docs/design.md, "Long jobs in slices"): each slice computes a
 * few hundred leads under the new model into `rescore_staging` and commits (tens of milliseconds
 * of the write lock), while reads go on under the old model and its stored scores; the last step
 * switches every lead and the model version in one transaction, so a rep sees one model or the
 * other, never a mix. A lead written meanwhile loses its staged row (triggers) and is recomputed in
 * the switch. The job is a row: a process killed mid-way leaves it, and the next start resumes it.
 */

/** Leads staged per slice. */
const SLICE = 500;

export interface RescoreProgress {
  version: number;
  done: number;
  total: number;
}

export interface RescoreOutcome {
  version: number;
  document: ScoringModel;
  rescored: number;
  changed: number;
  stageChanges: number;
}

type Job = typeof rescoreJobs.$inferSelect;

/** The workspace's model change in progress, if any. */
export async function rescoreProgress(db: Executor, workspaceId: string): Promise<RescoreProgress | null> {
  const [job] = await db
    .select({ version: rescoreJobs.version, done: rescoreJobs.done, total: rescoreJobs.total })
    .from(rescoreJobs)
    .where(eq(rescoreJobs.workspaceId, workspaceId));
  return job ? { ...job, done: Math.min(job.done, job.total) } : null;
}

/**
 * Starts a model change and runs it to the end (the caller waits; the API keeps serving), or for
 * `slices` slices only. A second change while one runs is refused with 409.
 */
export async function changeModel(
  db: Database,
  workspaceId: string,
  document: ScoringModel,
  userId: string,
  now = new Date(),
  options: { sliceSize?: number; slices?: number } = {},
): Promise<RescoreOutcome | null> {
  await startJob(db, workspaceId, { document, userId, now, rebuild: false });
  return runRescoreJob(db, workspaceId, options);
}

/**
 * Recomputes every lead's score columns under the model in force, in slices, stages kept: for leads
 * that arrived unscored (the demo seed, an import).
 */
export async function rescoreInSlices(db: Database, workspaceId: string, now = new Date()) {
  await startJob(db, workspaceId, { document: null, userId: null, now, rebuild: true });
  return (await runRescoreJob(db, workspaceId))!;
}

async function startJob(
  db: Database,
  workspaceId: string,
  job: { document: ScoringModel | null; userId: string | null; now: Date; rebuild: boolean },
) {
  await db.transaction(async (tx) => {
    const [running] = await tx.select().from(rescoreJobs).where(eq(rescoreJobs.workspaceId, workspaceId));
    if (running) {
      throw new ProblemException(
        'conflict',
        `The leads are being rescored (${running.done} of ${running.total} done); try again when it is done`,
      );
    }
    const current = await activeModel(tx, workspaceId);
    const [count] = await tx.all<{ n: number }>(
      sql`select count(*) as n from leads where workspace_id = ${workspaceId}`,
    );
    await tx.insert(rescoreJobs).values({
      workspaceId,
      version: job.rebuild ? current.version : current.version + 1,
      document: job.document ?? current.document,
      createdBy: job.userId,
      createdAt: job.now,
      total: Number(count?.n ?? 0),
      rebuild: job.rebuild,
    });
  });
}

/** Runs a workspace's job from where it stands to the switch. */
export async function runRescoreJob(
  db: Database,
  workspaceId: string,
  options: {
    sliceSize?: number /** Stop after this many slices (tests: a process killed mid-way). */;
    slices?: number;
  } = {},
): Promise<RescoreOutcome | null> {
  for (let slice = 0; slice < (options.slices ?? Number.POSITIVE_INFINITY); slice++) {
    try {
      const outcome = await bulkWrites(() =>
        db.transaction((tx) => step(tx, workspaceId, options.sliceSize ?? SLICE)),
      );
      if (outcome) return outcome;
    } catch (error) {
      if (!isDatabaseBusy(error)) {
        // Anything but a lock wait ends the job: the old model stays, as if it never started.
        await abandon(db, workspaceId).catch(() => {});
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return null;
}

/** Resumes every job a stopped process left (at start-up), one after the other, in the background. */
export async function resumeRescoreJobs(db: Database): Promise<number> {
  const jobs = await db.select({ workspaceId: rescoreJobs.workspaceId }).from(rescoreJobs);
  void (async () => {
    for (const { workspaceId } of jobs) {
      await runRescoreJob(db, workspaceId).catch((error) =>
        console.error(`resuming the rescore of workspace ${workspaceId}:`, error),
      );
    }
  })();
  return jobs.length;
}

async function abandon(db: Database, workspaceId: string) {
  await db.transaction(async (tx) => {
    await tx.delete(rescoreJobs).where(eq(rescoreJobs.workspaceId, workspaceId));
    await tx.delete(rescoreStaging).where(eq(rescoreStaging.workspaceId, workspaceId));
  });
}

interface Plan {
  job: Job;
  previous: ActiveModel;
  next: ActiveModel;
  rebuildFit: boolean;
  rebuildEngagement: boolean;
}

async function planOf(tx: Executor, job: Job): Promise<Plan> {
  const previous = await activeModel(tx, job.workspaceId);
  if (job.rebuild) return { job, previous, next: previous, rebuildFit: true, rebuildEngagement: true };
  const next = modelFromDocument(scoringModelSchema.parse(job.document), job.version, previous.landmarkMs);
  return {
    job,
    previous,
    next,
    rebuildFit: fitChanged(previous, next),
    rebuildEngagement: engagementChanged(previous, next),
  };
}

/** One slice of the job, or the switch once every lead is staged. */
async function step(tx: Executor, workspaceId: string, sliceSize: number): Promise<RescoreOutcome | null> {
  const [job] = await tx.select().from(rescoreJobs).where(eq(rescoreJobs.workspaceId, workspaceId));
  if (!job) {
    // Another API process resuming the same job made the switch: the change is in force.
    const current = await activeModel(tx, workspaceId);
    return { version: current.version, document: current.document, rescored: 0, changed: 0, stageChanges: 0 };
  }
  const plan = await planOf(tx, job);
  const staged = await stageLeads(tx, plan, 'after', job.cursor, sliceSize);
  if (staged.count === sliceSize) {
    await tx
      .update(rescoreJobs)
      .set({ cursor: staged.last!, done: job.done + staged.count })
      .where(eq(rescoreJobs.workspaceId, workspaceId));
    return null;
  }
  return switchModel(tx, plan);
}

/**
 * Computes leads under the new model into the staging table: the `limit` leads after `cursor` in
 * id order, or (`missing`) every lead of the workspace without a staged row.
 */
async function stageLeads(
  tx: Executor,
  plan: Plan,
  which: 'after' | 'missing',
  cursor: string,
  limit: number,
): Promise<{ count: number; last: string | null }> {
  const { job, next, rebuildFit, rebuildEngagement } = plan;
  const nowMs = Date.now();
  const fit = compileFit(next.document);
  const fitColumns = rebuildFit ? fit.fields.map((field) => FIT_COLUMNS[field]) : [];
  const columns = [
    'id',
    'stage',
    'fit',
    'engagement_key',
    ...fitColumns.map((column) => `leads.${column.name}`),
  ];
  const runner = statementRunner(tx);
  const { rows } =
    which === 'after'
      ? await runner.execute({
          sql: `select ${columns.join(', ')} from leads where workspace_id = ? and id > ? order by id limit ?`,
          args: [job.workspaceId, cursor, limit],
        })
      : await runner.execute({
          sql: `select ${columns.join(', ')} from leads where workspace_id = ? and not exists
                  (select 1 from rescore_staging s where s.lead_id = leads.id)`,
          args: [job.workspaceId],
        });
  if (!rows.length) return { count: 0, last: null };
  const fold = new EngagementFold(next, nowMs);
  const engagement = rebuildEngagement
    ? await engagementOf(
        runner,
        Array.from(rows, (row) => String(row[0])),
        fold,
      )
    : null;
  fold.reset();
  const untouched = fold.columns();
  const values: InValue[] = [];
  const fitValues: FieldValue[] = new Array(fitColumns.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const id = String(row[0]);
    const stage = row[1] as LeadStage;
    for (let f = 0; f < fitColumns.length; f++) {
      const value = row[4 + f];
      fitValues[f] = value === null ? null : (fitColumns[f]!.mapFromDriverValue(value) as FieldValue);
    }
    const newFit = rebuildFit ? fit.fitOf(fitValues) : (row[2] as number);
    const newEngagement = engagement ? (engagement.get(id) ?? untouched) : null;
    const engagementKey = newEngagement ? newEngagement.engagementKey : (row[3] as number | null);
    const score = liveScore({ fit: newFit, engagementKey }, next, nowMs);
    const newStage = job.rebuild ? stage : nextAutomaticStage(stage, score.score, score.grade, next.document);
    values.push(
      id,
      job.workspaceId,
      newFit,
      newStage,
      newEngagement?.engagementPos ?? null,
      newEngagement?.engagementNeg ?? null,
      newEngagement?.engagementKey ?? null,
      newEngagement?.lastTouchAt ?? null,
      newEngagement?.pendingTouchAt ?? null,
    );
  }
  const perStatement = 1000;
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    await runner.execute({
      sql: `insert or replace into rescore_staging (lead_id, workspace_id, fit, stage, engagement_pos,
              engagement_neg, engagement_key, last_touch_at, pending_touch_at)
            values ${Array.from({ length: end - start }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      args: values.slice(start * 9, end * 9),
    });
  }
  return { count: rows.length, last: String(rows[rows.length - 1]![0]) };
}

/**
 * The switch, in one transaction: stages what writes meanwhile left out, records the threshold
 * stage moves, writes the staged columns into every lead whose columns change, and makes the new
 * version the one in force.
 */
async function switchModel(tx: Executor, plan: Plan): Promise<RescoreOutcome> {
  const { job, rebuildEngagement } = plan;
  const { workspaceId } = job;
  await stageLeads(tx, plan, 'missing', '', 0);
  // The job row goes first: with it gone the triggers no longer clear staged rows, so the UPDATE
  // below does not delete what it reads.
  await tx.delete(rescoreJobs).where(eq(rescoreJobs.workspaceId, workspaceId));
  const now = new Date();
  const moves = await tx
    .select({ leadId: rescoreStaging.leadId, from: leads.stage, to: rescoreStaging.stage })
    .from(rescoreStaging)
    .innerJoin(leads, eq(leads.id, rescoreStaging.leadId))
    .where(and(eq(rescoreStaging.workspaceId, workspaceId), sql`${leads.stage} <> ${rescoreStaging.stage}`));
  for (let start = 0; start < moves.length; start += 1000) {
    await tx.insert(stageChanges).values(
      moves.slice(start, start + 1000).map((move) => ({
        id: newId(),
        workspaceId,
        leadId: move.leadId,
        fromStage: move.from,
        toStage: move.to,
        cause: 'threshold' as const,
        userId: job.createdBy,
        at: now,
      })),
    );
  }
  const written = [
    'fit',
    'stage',
    ...(rebuildEngagement ? ENGAGEMENT_COLUMNS.map((column) => column.name) : []),
  ];
  const [rescored] = await tx.all<{ n: number }>(
    sql`select count(*) as n from rescore_staging where workspace_id = ${workspaceId}`,
  );
  const total = Number(rescored?.n ?? 0);
  const writtenColumns = [leads.fit, leads.stage, ...(rebuildEngagement ? ENGAGEMENT_COLUMNS : [])];
  // Most of a large workspace rewritten: rebuild the scoring indexes once instead of updating them.
  const deferred = new DeferredIndexes(tx, indexesOver(writtenColumns), total >= 20_000, 0);
  const differ = `(${written.map((name) => `leads.${name}`).join(', ')}) is not (${written.map((name) => `s.${name}`).join(', ')})`;
  const runner = statementRunner(tx);
  const { rows: changing } = await runner.execute({
    sql: `select count(*) from rescore_staging s join leads on leads.id = s.lead_id
          where s.workspace_id = ? and ${differ}`,
    args: [workspaceId],
  });
  await deferred.consider(total, Number(changing[0]?.[0] ?? 0));
  const result = await runner.execute({
    sql: `update leads set (${written.join(', ')}) = (${written.map((name) => `s.${name}`).join(', ')})
          from rescore_staging s where leads.id = s.lead_id and s.workspace_id = ? and ${differ}`,
    args: [workspaceId],
  });
  const changed = result.rowsAffected;
  await deferred.restore();
  // Cadences hear of the threshold moves once every lead holds its new columns.
  const reached = moves.map((move) => ({ leadId: move.leadId, stage: move.to }));
  await onStagesReached(tx, { workspaceId, userId: job.createdBy }, reached, now, { model: plan.next });
  await tx.delete(rescoreStaging).where(eq(rescoreStaging.workspaceId, workspaceId));
  const counts = { rescored: total, changed, stageChanges: moves.length };
  if (job.rebuild) return { version: plan.previous.version, document: plan.previous.document, ...counts };
  const next = await insertModelVersion(tx, workspaceId, plan.next.document, job.createdBy, job.createdAt);
  await emitEvent(tx, workspaceId, 'scoring.model_changed', null, { version: next.version, ...counts }, now);
  return { version: next.version, document: next.document, ...counts };
}
