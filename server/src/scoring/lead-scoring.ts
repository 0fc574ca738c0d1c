import {
  addToForwardSums,
  EMPTY_FORWARD_SUMS,
  engagementKey,
  evaluateFit,
  type ForwardSums,
  nextAutomaticStage,
  type TouchpointType,
  touchpointPointsOf,
} from '@leadline/shared';
import { and, eq, inArray, lte } from 'drizzle-orm';
import { type Database, deferWrite, type Executor } from '../db/client';
import { emitEvent } from '../db/events';
import { type LeadRow, type LeadScore, toScorable } from '../db/lead-row';
import { leads, touchpoints, workspaces } from '../db/schema';
import { recordStageChange } from '../db/stage-changes';
import { type ActiveModel, activeModel } from './model.service';
import { liveScore } from './score-at';

export interface TouchpointFacts {
  type: TouchpointType;
  occurredAt: Date;
}

/**
 * Folds one lead's touchpoints, in any order, into its engagement columns as of `nowMs`: those
 * that have happened go into the forward sums, later ones wait as pending. Times are epoch ms.
 * Reusable across leads (`reset`), so a bulk rescore allocates nothing per touchpoint.
 */
export class EngagementFold {
  private sums: ForwardSums = EMPTY_FORWARD_SUMS;
  private lastTouchAt: number | null = null;
  private pendingTouchAt: number | null = null;

  constructor(
    private readonly model: ActiveModel,
    private readonly nowMs: number,
  ) {}

  add(type: TouchpointType, at: number) {
    if (at > this.nowMs) {
      this.pendingTouchAt = this.pendingTouchAt === null ? at : Math.min(this.pendingTouchAt, at);
      return;
    }
    const points = touchpointPointsOf(this.model.document, type);
    this.sums = addToForwardSums(this.sums, points, at, this.model.landmarkMs, this.model.halfLifeMs);
    this.lastTouchAt = this.lastTouchAt === null ? at : Math.max(this.lastTouchAt, at);
  }

  /** The columns so far, with times as epoch ms. */
  columns() {
    return {
      engagementPos: this.sums.logPos,
      engagementNeg: this.sums.logNeg,
      engagementKey: engagementKey(this.sums),
      lastTouchAt: this.lastTouchAt,
      pendingTouchAt: this.pendingTouchAt,
    };
  }

  /** Starts over, empty or from a lead's stored columns (to fold one more touchpoint into them). */
  reset(from?: StoredEngagement) {
    this.sums = from ? { logPos: from.engagementPos, logNeg: from.engagementNeg } : EMPTY_FORWARD_SUMS;
    this.lastTouchAt = from?.lastTouchAt?.getTime() ?? null;
    this.pendingTouchAt = from?.pendingTouchAt?.getTime() ?? null;
  }

  /** The columns so far, times as Dates, as the lead row stores them. */
  storedColumns() {
    const { lastTouchAt, pendingTouchAt, ...sums } = this.columns();
    return {
      ...sums,
      lastTouchAt: lastTouchAt === null ? null : new Date(lastTouchAt),
      pendingTouchAt: pendingTouchAt === null ? null : new Date(pendingTouchAt),
    };
  }
}

type StoredEngagement = Pick<LeadRow, 'engagementPos' | 'engagementNeg' | 'lastTouchAt' | 'pendingTouchAt'>;

/** The engagement columns from a lead's touchpoints as of `nowMs` (future ones wait as pending). */
export function engagementColumns(
  touchpointRows: readonly TouchpointFacts[],
  model: ActiveModel,
  nowMs: number,
) {
  const fold = new EngagementFold(model, nowMs);
  for (const touchpoint of touchpointRows) fold.add(touchpoint.type, touchpoint.occurredAt.getTime());
  return fold.storedColumns();
}

/** The scoring columns of a lead from its fields and touchpoints, as of `nowMs`. */
export function scoringColumns(
  row: LeadRow,
  touchpointRows: readonly TouchpointFacts[],
  model: ActiveModel,
  nowMs: number,
) {
  const { fit } = evaluateFit(toScorable(row), model.document);
  return { fit, ...engagementColumns(touchpointRows, model, nowMs) };
}

/** What a write changed, which decides how much of the score must be computed again. */
export type ScoreChange =
  | { kind: 'fields' }
  | { kind: 'touchpoint'; type: TouchpointType; occurredAt: Date }
  | { kind: 'rebuild'; touchpoints: readonly TouchpointFacts[] };

type ScoringColumns = ReturnType<typeof scoringColumns>;

/**
 * The new scoring columns after a write: a field change recomputes fit and keeps the sums; a
 * touchpoint adds one term (in any arrival order: the forward sum does not care), or waits as
 * pending when it is logged ahead of time; a rebuild starts over from every touchpoint.
 */
export function nextScoringColumns(
  row: LeadRow,
  change: ScoreChange,
  model: ActiveModel,
  nowMs: number,
): ScoringColumns {
  const kept = {
    fit: row.fit,
    engagementPos: row.engagementPos,
    engagementNeg: row.engagementNeg,
    engagementKey: row.engagementKey,
    lastTouchAt: row.lastTouchAt,
    pendingTouchAt: row.pendingTouchAt,
  };
  switch (change.kind) {
    case 'fields':
      return { ...kept, fit: evaluateFit(toScorable(row), model.document).fit };
    case 'rebuild':
      return scoringColumns(row, change.touchpoints, model, nowMs);
    case 'touchpoint': {
      const fold = new EngagementFold(model, nowMs);
      fold.reset(row);
      fold.add(change.type, change.occurredAt.getTime());
      return { fit: row.fit, ...fold.storedColumns() };
    }
  }
}

/** A stored lead and its live score at the moment it was written. */
export interface ScoredLead {
  row: LeadRow;
  score: LeadScore;
}

/** Whether a lead holds a touchpoint logged ahead of time whose moment has come (not yet folded). */
export function hasDueTouchpoint(row: Pick<LeadRow, 'pendingTouchAt'>, atMs: number): boolean {
  return row.pendingTouchAt !== null && row.pendingTouchAt.getTime() <= atMs;
}

/**
 * Rescores one lead after a write, in the writer's transaction; a threshold crossing moves the
 * stage forward, records the change and emits an event. A lead whose pending touchpoint has come
 * due is rebuilt from all its touchpoints, so the write folds it in. Returns the stored row and its
 * live score at `now`.
 */
export async function rescoreLead(
  tx: Executor,
  row: LeadRow,
  change: ScoreChange,
  model: ActiveModel,
  now: Date,
  userId: string | null = null,
  options: {
    autoStage?: boolean;
    /**
     * `row` is the lead as stored now, read in this transaction: the update is then deferred (sent
     * with the transaction's next statement) and the stored row is `row` with the new columns,
     * without reading it back.
     */
    fresh?: boolean;
  } = {},
): Promise<ScoredLead> {
  const effective =
    change.kind !== 'rebuild' && hasDueTouchpoint(row, now.getTime())
      ? { kind: 'rebuild' as const, touchpoints: await touchpointFacts(tx, row.id) }
      : change;
  const columns = nextScoringColumns(row, effective, model, now.getTime());
  const score = liveScore(columns, model, now.getTime());
  const current = row.stage;
  const stage =
    (options.autoStage ?? true)
      ? nextAutomaticStage(current, score.score, score.grade, model.document)
      : current;
  const next = { ...columns, stage };
  // A stored row known as it is sets only what changes: SQLite rewrites the index entries of every
  // column it sets, even to the same value (a page a touchpoint for `stage` and `pending_touch_at`).
  const update = tx
    .update(leads)
    .set(options.fresh ? changedColumns(row, next) : next)
    .where(eq(leads.id, row.id));
  let updated: LeadRow | undefined;
  if (options.fresh) {
    await deferWrite(tx, update.toSQL());
    updated = { ...row, ...next };
  } else {
    [updated] = await update.returning();
  }
  if (stage !== current) {
    await recordStageChange(
      tx,
      { workspaceId: row.workspaceId, userId },
      row.id,
      current,
      stage,
      'threshold',
      now,
    );
    await emitEvent(
      tx,
      row.workspaceId,
      'lead.stage_changed',
      row.id,
      { from: current, to: stage, cause: 'threshold', score: score.score },
      now,
    );
  }
  return { row: updated!, score };
}

/**
 * The columns of `next` whose values differ from `row`'s; `stage` alone when none does, so the
 * update still runs (and the triggers on it still see the lead written).
 */
export function changedColumns<T extends Partial<LeadRow> & Pick<LeadRow, 'stage'>>(
  row: LeadRow,
  next: T,
): Partial<T> {
  const changed = Object.entries(next).filter(([key, after]) => !sameValue(row[key as keyof LeadRow], after));
  return (changed.length ? Object.fromEntries(changed) : { stage: next.stage }) as Partial<T>;
}

const sameValue = (before: unknown, after: unknown) =>
  before instanceof Date && after instanceof Date ? before.getTime() === after.getTime() : before === after;

async function touchpointFacts(tx: Executor, leadId: string): Promise<TouchpointFacts[]> {
  return tx
    .select({ type: touchpoints.type, occurredAt: touchpoints.occurredAt })
    .from(touchpoints)
    .where(eq(touchpoints.leadId, leadId));
}

/** Rebuilds the scores of some leads from all their touchpoints (touchpoints that came due). */
export async function rebuildScores(
  tx: Executor,
  workspaceId: string,
  leadIds: readonly string[],
  model: ActiveModel,
  now: Date,
) {
  const rows = await tx
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), inArray(leads.id, [...leadIds])));
  const touchRows = await tx
    .select({ leadId: touchpoints.leadId, type: touchpoints.type, occurredAt: touchpoints.occurredAt })
    .from(touchpoints)
    .where(inArray(touchpoints.leadId, [...leadIds]));
  const byLead = new Map<string, TouchpointFacts[]>();
  for (const touchpoint of touchRows) {
    const list = byLead.get(touchpoint.leadId);
    if (list) list.push(touchpoint);
    else byLead.set(touchpoint.leadId, [touchpoint]);
  }
  for (const row of rows) {
    await rescoreLead(tx, row, { kind: 'rebuild', touchpoints: byLead.get(row.id) ?? [] }, model, now);
  }
}

/**
 * Folds touchpoints logged ahead of time whose moment has come, in one write transaction; a cheap
 * index probe when none are due. Reads never need it (they score such leads from their
 * touchpoints): it runs on a timer so stored scores, stages and the ranking index catch up.
 */
export async function foldDueTouchpoints(db: Database, workspaceId: string, now = new Date()) {
  const due = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), lte(leads.pendingTouchAt, now)))
    .limit(1000);
  if (!due.length) return 0;
  await db.transaction(async (tx) =>
    rebuildScores(
      tx,
      workspaceId,
      due.map((row) => row.id),
      await activeModel(tx, workspaceId),
      now,
    ),
  );
  return due.length;
}

/** `foldDueTouchpoints` for every workspace: what the API process runs on a timer. */
export async function foldAllDueTouchpoints(db: Database, now = new Date()) {
  let folded = 0;
  for (const { id } of await db.select({ id: workspaces.id }).from(workspaces)) {
    folded += await foldDueTouchpoints(db, id, now);
  }
  return folded;
}
