import {
  compileFit,
  type FieldValue,
  type FitField,
  type LeadStage,
  nextAutomaticStage,
  type TouchpointType,
} from '@leadline/shared';
import type { InValue } from '@libsql/client';
import { sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { onStagesReached } from '../cadences/stops';
import { type Executor, type StatementRunner, statementRunner } from '../db/client';
import { newId } from '../db/ids';
import { leads, stageChanges } from '../db/schema';
import { DeferredIndexes, indexesOver } from './deferred-indexes';
import { EngagementFold } from './lead-scoring';
import type { ActiveModel } from './model.service';
import { liveScore } from './score-at';

/** Leads read (and their touchpoints) per step of the walk. */
const BATCH = 2000;
/** Rows per UPDATE of new scores (8 parameters each; SQLite allows 32,766). */
const WRITE_ROWS = 1000;
/** Leads with touchpoints per page when all of them are read in index order. */
const TOUCH_PAGE = 10_000;

/** The column behind each field a fit rule may read: a rescore reads only the ones its rules use. */
export const FIT_COLUMNS: Record<FitField, SQLiteColumn> = {
  title: leads.title,
  email: leads.email,
  phone: leads.phone,
  company: leads.company,
  companyDomain: leads.companyDomain,
  companySize: leads.companySize,
  industry: leads.industry,
  country: leads.country,
  location: leads.location,
  fullName: leads.fullName,
  firstName: leads.firstName,
  lastName: leads.lastName,
  linkedinUrl: leads.linkedinUrl,
  website: leads.website,
  dealValue: leads.dealValue,
  'bant.budget': leads.bantBudget,
  'bant.authority': leads.bantAuthority,
  'bant.need': leads.bantNeed,
  'bant.timelineMonths': leads.bantTimelineMonths,
  'source.channel': leads.sourceChannel,
  'source.url': leads.sourceUrl,
  'source.utm.source': leads.utmSource,
  'source.utm.medium': leads.utmMedium,
  'source.utm.campaign': leads.utmCampaign,
  'source.utm.term': leads.utmTerm,
  'source.utm.content': leads.utmContent,
};

/** The engagement columns: rewritten only when the model changes points or the half-life. */
export const ENGAGEMENT_COLUMNS: readonly SQLiteColumn[] = [
  leads.engagementPos,
  leads.engagementNeg,
  leads.engagementKey,
  leads.lastTouchAt,
  leads.pendingTouchAt,
];
/** What every rescore may change. */
const FIT_AND_STAGE: readonly SQLiteColumn[] = [leads.fit, leads.stage];

/** Whether a new model changes engagement (points or half-life), or only fit, weights and thresholds. */
export function engagementChanged(previous: ActiveModel, next: ActiveModel): boolean {
  if (previous.halfLifeMs !== next.halfLifeMs || previous.landmarkMs !== next.landmarkMs) return true;
  const before = previous.document.touchpointPoints;
  const after = next.document.touchpointPoints;
  return (Object.keys(after) as (keyof typeof after)[]).some((type) => before[type] !== after[type]);
}

/** Whether a new model changes fit: its rules (fit is stored per lead, so weights do not count). */
export function fitChanged(previous: ActiveModel, next: ActiveModel): boolean {
  return JSON.stringify(previous.document.fitRules) !== JSON.stringify(next.document.fitRules);
}

/**
 * A lead's row as the walk reads it: `[rowid, id, stage, fit, engagement_key, ...fit fields]`. The
 * other engagement columns are never read: a model that rebuilds them lets the UPDATE compare.
 */
type WalkRow = ArrayLike<unknown>;
const ROWID = 0;
const ID = 1;
const STAGE = 2;
const FIT = 3;
const KEY = 4;
const FIT_FIELDS = 5;

/**
 * The workspace's leads, `batchSize` at a time, as `WalkRow`s with `fitColumns` after the fixed
 * ones. A workspace holding most of the table is walked in rowid order, the table's own (pages read
 * and rewritten in sequence, whatever the ids look like: they are random UUIDs); a smaller share
 * through the (workspace, id) index, so other workspaces' rows are never visited.
 */
async function* leadPages(
  runner: StatementRunner,
  workspaceId: string,
  wholeTable: boolean,
  fitColumns: readonly SQLiteColumn[],
  batchSize: number,
): AsyncGenerator<ArrayLike<WalkRow>> {
  const columns = [
    'rowid',
    'id',
    'stage',
    'fit',
    'engagement_key',
    ...fitColumns.map((column) => column.name),
  ];
  const query = wholeTable
    ? `select ${columns.join(', ')} from leads not indexed
       where workspace_id = ? and rowid > ? order by rowid limit ?`
    : `select ${columns.join(', ')} from leads where workspace_id = ? and id > ? order by id limit ?`;
  let after: number | string = wholeTable ? 0 : '';
  for (;;) {
    const { rows } = await runner.execute({ sql: query, args: [workspaceId, after, batchSize] });
    if (!rows.length) return;
    const last = rows[rows.length - 1]!;
    after = wholeTable ? Number(last[ROWID]) : String(last[ID]);
    yield rows;
  }
}

type EngagementColumns = ReturnType<EngagementFold['columns']>;

/** Folds a lead's touchpoints listed as `type time,type time` (see `TOUCH_LIST`) into `fold`. */
function foldList(fold: EngagementFold, list: string): EngagementColumns {
  fold.reset();
  for (let start = 0; start < list.length; ) {
    const space = list.indexOf(' ', start);
    let end = list.indexOf(',', space);
    if (end < 0) end = list.length;
    // The type column only holds TOUCHPOINT_TYPES (the schema's enum); read here from raw SQL text.
    fold.add(list.slice(start, space) as TouchpointType, Number(list.slice(space + 1, end)));
    start = end + 1;
  }
  return fold.columns();
}

/**
 * A lead's touchpoints as one text, from the (lead_id, occurred_at, ..., type) index: one row per
 * lead instead of one per touchpoint (reading values per touchpoint through the client cost more
 * than the rest of a rebuild).
 */
const TOUCH_LIST = `group_concat(type || ' ' || occurred_at)`;

/** Engagement columns by lead id. */
interface EngagementLookup {
  get(leadId: string): EngagementColumns | undefined;
}

/** Engagement of each of `leadIds` that has touchpoints: one index probe per lead. */
export async function engagementOf(
  runner: StatementRunner,
  leadIds: readonly string[],
  fold: EngagementFold,
): Promise<EngagementLookup> {
  const { rows } = await runner.execute({
    sql: `select lead_id, ${TOUCH_LIST} from touchpoints
          where lead_id in (${leadIds.map(() => '?').join(', ')}) group by lead_id`,
    args: [...leadIds],
  });
  const byLead = new Map<string, EngagementColumns>();
  // libSQL rows are array-like, not iterable.
  for (let i = 0; i < rows.length; i++) {
    byLead.set(String(rows[i]![0]), foldList(fold, String(rows[i]![1])));
  }
  return byLead;
}

/**
 * Engagement columns of very many leads, packed: five doubles a lead (NaN for null) and an id map,
 * so a million leads take ~100 MB rather than a million objects.
 */
class PackedEngagement implements EngagementLookup {
  private readonly slots = new Map<string, number>();
  private columns = new Float64Array(5 * 256);

  set(leadId: string, value: EngagementColumns) {
    const slot = this.slots.size;
    if (5 * (slot + 1) > this.columns.length) {
      const grown = new Float64Array(this.columns.length * 2);
      grown.set(this.columns);
      this.columns = grown;
    }
    this.slots.set(leadId, slot);
    const at = 5 * slot;
    this.columns[at] = value.engagementPos ?? Number.NaN;
    this.columns[at + 1] = value.engagementNeg ?? Number.NaN;
    this.columns[at + 2] = value.engagementKey ?? Number.NaN;
    this.columns[at + 3] = value.lastTouchAt ?? Number.NaN;
    this.columns[at + 4] = value.pendingTouchAt ?? Number.NaN;
  }

  get(leadId: string): EngagementColumns | undefined {
    const slot = this.slots.get(leadId);
    if (slot === undefined) return undefined;
    const at = 5 * slot;
    const read = (offset: number) => {
      const value = this.columns[at + offset]!;
      return Number.isNaN(value) ? null : value;
    };
    return {
      engagementPos: read(0),
      engagementNeg: read(1),
      engagementKey: read(2),
      lastTouchAt: read(3),
      pendingTouchAt: read(4),
    };
  }
}

/**
 * Engagement of every lead in the table that has touchpoints, read in the index's own order a page
 * of leads at a time: sequential whatever the ids look like, where probing a million random ids
 * one by one is not. For a walk over most of the table; other workspaces' leads are never looked up.
 */
async function engagementOfEveryLead(
  runner: StatementRunner,
  fold: EngagementFold,
): Promise<EngagementLookup> {
  const packed = new PackedEngagement();
  let after = '';
  for (;;) {
    const { rows } = await runner.execute({
      sql: `select lead_id, ${TOUCH_LIST} from touchpoints where lead_id > ?
            group by lead_id order by lead_id limit ?`,
      args: [after, TOUCH_PAGE],
    });
    if (!rows.length) return packed;
    for (let i = 0; i < rows.length; i++) {
      packed.set(String(rows[i]![0]), foldList(fold, String(rows[i]![1])));
    }
    after = String(rows[rows.length - 1]![0]);
  }
}

/**
 * Rescores every lead of a workspace under `model`, in the caller's transaction, a page of leads at
 * a time (`leadPages`). It reads the fields the fit rules use only when the rules change, touchpoints
 * only when their points or the half-life change, writes only the columns the change can move, and
 * only for leads where they do move (stored fit and engagement are always current: every write
 * rescores its lead). A lead the new model lifts over a threshold moves stage (cause "threshold").
 * `rebuildFit` and `rebuildEngagement` force a recomputation (leads that arrive unscored, as demo
 * data does); `tuning` is for tests.
 */
export async function rescoreAll(
  tx: Executor,
  workspaceId: string,
  previous: ActiveModel,
  model: ActiveModel,
  now: Date,
  userId: string | null,
  options: {
    rebuildFit?: boolean;
    rebuildEngagement?: boolean;
    autoStage?: boolean;
    /** Leads per page, and the workspace size from which index upkeep may be deferred. */
    tuning?: { batchSize?: number; deferIndexesFrom?: number };
  } = {},
) {
  const rebuildFit = options.rebuildFit ?? fitChanged(previous, model);
  const rebuildEngagement = options.rebuildEngagement ?? engagementChanged(previous, model);
  const autoStage = options.autoStage ?? true;
  const batchSize = options.tuning?.batchSize ?? BATCH;
  const nowMs = now.getTime();
  const fit = compileFit(model.document);
  const fitColumns = rebuildFit ? fit.fields.map((field) => FIT_COLUMNS[field]) : [];
  const fold = new EngagementFold(model, nowMs);
  try {
    // A larger page cache for this connection: the walk touches every lead and its index entries.
    await tx.run(sql`pragma cache_size = -131072`);
  } catch {
    // a server that refuses the pragma rescores all the same
  }
  const [counts] = await tx.values<[number, number]>(
    sql`select (select count(*) from leads where workspace_id = ${workspaceId}), (select count(*) from leads)`,
  );
  const workspaceLeads = Number(counts?.[0] ?? 0);
  const wholeTable = workspaceLeads * 2 >= Number(counts?.[1] ?? 0);
  // Only what this model can change is written: fewer columns set, fewer indexes updated.
  const writtenColumns = rebuildEngagement ? [...FIT_AND_STAGE, ...ENGAGEMENT_COLUMNS] : FIT_AND_STAGE;
  // New values arrive as `VALUES (rowid, ...writtenColumns)` rows: `column1` is the rowid.
  const names = writtenColumns.map((column) => column.name);
  const assigned = names.join(', ');
  const incoming = names.map((_, i) => `v.column${i + 2}`).join(', ');
  const current = names.map((name) => `leads.${name}`).join(', ');
  const rowPlaceholders = `(${['?', ...names.map(() => '?')].join(', ')})`;
  const runner = statementRunner(tx);
  const deferred = new DeferredIndexes(
    tx,
    indexesOver(writtenColumns),
    wholeTable && workspaceLeads >= (options.tuning?.deferIndexesFrom ?? 20_000),
    5 * batchSize,
  );
  // Engagement for the walk: all of it up front, in index order, when the walk covers most of the
  // table; otherwise a page's worth at a time.
  const everyLead = rebuildEngagement && wholeTable ? await engagementOfEveryLead(runner, fold) : null;
  fold.reset();
  const untouched = fold.columns();
  let rescored = 0;
  let changed = 0;
  let moved = 0;
  for await (const rows of leadPages(runner, workspaceId, wholeTable, fitColumns, batchSize)) {
    const engagement: EngagementLookup | null =
      everyLead ??
      (rebuildEngagement
        ? await engagementOf(
            runner,
            Array.from(rows, (row) => String(row[ID])),
            fold,
          )
        : null);
    // The rows to write, flat: `[rowid, ...writtenColumns]` each.
    const values: InValue[] = [];
    let count = 0;
    const changes: (typeof stageChanges.$inferInsert)[] = [];
    const fitValues: FieldValue[] = new Array(fitColumns.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const id = String(row[ID]);
      const stage = row[STAGE] as LeadStage;
      for (let f = 0; f < fitColumns.length; f++) {
        const value = row[FIT_FIELDS + f];
        fitValues[f] = value === null ? null : (fitColumns[f]!.mapFromDriverValue(value) as FieldValue);
      }
      const newFit = rebuildFit ? fit.fitOf(fitValues) : (row[FIT] as number);
      const newEngagement = engagement ? (engagement.get(id) ?? untouched) : null;
      const engagementKey = newEngagement ? newEngagement.engagementKey : (row[KEY] as number | null);
      const score = liveScore({ fit: newFit, engagementKey }, model, nowMs);
      const newStage = autoStage
        ? nextAutomaticStage(stage, score.score, score.grade, model.document)
        : stage;
      // Without new engagement, fit and stage are all that can change; with it, the UPDATE compares.
      if (!newEngagement && newFit === row[FIT] && newStage === stage) continue;
      if (newStage !== stage) {
        changes.push({
          id: newId(),
          workspaceId,
          leadId: id,
          fromStage: stage,
          toStage: newStage,
          cause: 'threshold',
          userId,
          at: now,
        });
      }
      count++;
      values.push(row[ROWID] as number, newFit, newStage);
      if (newEngagement) {
        values.push(
          newEngagement.engagementPos,
          newEngagement.engagementNeg,
          newEngagement.engagementKey,
          newEngagement.lastTouchAt,
          newEngagement.pendingTouchAt,
        );
      }
    }
    // Each lead found by the table's own key (the VALUES rows drive the join; no temp table, which
    // a libSQL server does not allow); rows that come out the same are left alone.
    const width = names.length + 1;
    for (let start = 0; start < count; start += WRITE_ROWS) {
      const end = Math.min(count, start + WRITE_ROWS);
      const result = await runner.execute({
        sql: `update leads set (${assigned}) = (${incoming})
              from (values ${Array.from({ length: end - start }, () => rowPlaceholders).join(', ')}) as v
              where leads.rowid = v.column1 and (${current}) is not (${incoming})`,
        args: values.slice(start * width, end * width),
      });
      changed += result.rowsAffected;
    }
    if (changes.length) {
      await tx.insert(stageChanges).values(changes);
      const moves = changes.map((change) => ({ leadId: change.leadId, stage: change.toStage }));
      await onStagesReached(tx, { workspaceId, userId }, moves, now, { model });
    }
    rescored += rows.length;
    moved += changes.length;
    await deferred.consider(rescored, changed);
  }
  const deferredIndexes = await deferred.restore();
  return { rescored, changed, stageChanges: moved, deferredIndexes };
}
