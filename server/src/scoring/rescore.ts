import { compileFit, type FitField, type LeadStage, nextAutomaticStage } from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Executor } from '../db/client';
import { leads, stageChanges } from '../db/schema';
import { newId } from '../lib/tokens';
import { EngagementFold, liveScore } from './lead-scoring';
import type { ActiveModel } from './model.service';

/** Leads read (and their touchpoints) per step of the walk. */
const BATCH = 2000;
/** Rows per INSERT into the batch's table of new scores (8 parameters each, SQLite allows 32,766). */
const WRITE_ROWS = 1000;

/** The column behind each field a fit rule may read: a rescore reads only the ones its rules use. */
const FIT_COLUMNS: Record<FitField, SQLiteColumn> = {
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
const ENGAGEMENT_COLUMNS: readonly SQLiteColumn[] = [
  leads.engagementPos,
  leads.engagementNeg,
  leads.engagementKey,
  leads.lastTouchAt,
  leads.pendingTouchAt,
];
/** What every rescore may change. */
const FIT_AND_STAGE: readonly SQLiteColumn[] = [leads.fit, leads.stage];

/**
 * The leads indexes over any of `columns` (of the ranking, pending and last-touch indexes, those a
 * rescore writes): what a rescore of most of a large table rebuilds once instead of updating.
 */
function indexesOver(columns: readonly SQLiteColumn[]): string[] {
  return getTableConfig(leads)
    .indexes.filter((index) =>
      index.config.columns.some((column) => columns.includes(column as SQLiteColumn)),
    )
    .map((index) => index.config.name);
}

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

/** A lead's row as the walk reads it: `[rowid, id, stage, ...scoring columns, ...fit fields]`. */
type WalkRow = ArrayLike<unknown>;
const ROWID = 0;
const ID = 1;
const STAGE = 2;
const FIT = 3;
const POS = 4;
const NEG = 5;
const KEY = 6;
const LAST_TOUCH = 7;
const PENDING = 8;
const FIT_FIELDS = 9;

/**
 * The workspace's leads, a page at a time, as `WalkRow`s with `extraColumns` after the fixed ones.
 * A workspace holding most of the table is walked in rowid order, the table's own (pages read and
 * rewritten in sequence, whatever the ids look like: they are random UUIDs); a smaller share
 * through the (workspace, id) index, so other workspaces' rows are never visited.
 */
async function* leadPages(
  tx: Executor,
  workspaceId: string,
  wholeTable: boolean,
  extraColumns: readonly SQLiteColumn[],
): AsyncGenerator<ArrayLike<WalkRow>> {
  const columns = sql`rowid, id, stage, fit, engagement_pos, engagement_neg, engagement_key,
    last_touch_at, pending_touch_at${sql.join(extraColumns.map((column) => sql`, ${sql.identifier(column.name)}`))}`;
  let after: number | string = wholeTable ? 0 : '';
  for (;;) {
    const rows: ArrayLike<WalkRow> = await tx.values(
      wholeTable
        ? sql`select ${columns} from leads not indexed
            where workspace_id = ${workspaceId} and rowid > ${after} order by rowid limit ${BATCH}`
        : sql`select ${columns} from leads
            where workspace_id = ${workspaceId} and id > ${after} order by id limit ${BATCH}`,
    );
    if (!rows.length) return;
    const last = rows[rows.length - 1]!;
    after = wholeTable ? Number(last[ROWID]) : String(last[ID]);
    yield rows;
  }
}

type EngagementColumns = ReturnType<EngagementFold['columns']>;

/**
 * Engagement of each of `leadIds` that has touchpoints, read from the (lead_id, occurred_at, ...,
 * type) index with one row per lead: its touchpoints as one `type time,type time` text. (Reading
 * values per touchpoint through the client cost more than the rest of a rebuild.)
 */
async function engagementOf(
  tx: Executor,
  leadIds: readonly string[],
  fold: EngagementFold,
): Promise<Map<string, EngagementColumns>> {
  const rows = await tx.values<[string, string]>(
    sql`select lead_id, group_concat(type || ' ' || occurred_at) from touchpoints
        where lead_id in ${leadIds} group by lead_id`,
  );
  const byLead = new Map<string, EngagementColumns>();
  // libSQL rows are array-like, not iterable.
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const list = String(row[1]);
    fold.reset();
    for (let start = 0; start < list.length; ) {
      const space = list.indexOf(' ', start);
      let end = list.indexOf(',', space);
      if (end < 0) end = list.length;
      fold.add(list.slice(start, space), Number(list.slice(space + 1, end)));
      start = end + 1;
    }
    byLead.set(row[0], fold.columns());
  }
  return byLead;
}

/**
 * Holds back index maintenance while a rescore rewrites most of a large table: the scoring indexes
 * are dropped inside the transaction and created again from their own stored definitions at the
 * end (one sort each instead of a delete and an insert per lead per index). Readers on other
 * connections keep the old snapshot, indexes included; a failure rolls the drop back with the rest.
 */
class DeferredIndexes {
  private definitions: string[] | null = null;

  /**
   * `names`: the indexes the rescore's writes touch. Only a workspace holding most of the table is
   * `eligible` (and a large one): for a small share, updating in place is cheaper than rebuilding.
   */
  constructor(
    private readonly tx: Executor,
    private readonly names: readonly string[],
    private readonly leadCount: number,
    private readonly eligible: boolean,
  ) {}

  /**
   * Defers once the walk shows that at least a tenth of the leads change (at 1,000,000 leads an
   * update in place costs ~0.1 ms a lead, rebuilding five indexes ~8 s), judged on the first five
   * batches (or the whole workspace, if smaller) before any of them is written.
   */
  async consider(rescored: number, written: number) {
    if (!this.eligible || this.definitions) return;
    if (rescored < Math.min(this.leadCount, 5 * BATCH) || written * 10 < rescored) return;
    const stored = await this.tx.values<[string]>(
      sql`select sql from sqlite_master where type = 'index' and tbl_name = 'leads'
          and name in ${this.names}`,
    );
    this.definitions = Array.from(stored, (row) => String(row[0]));
    for (const name of this.names) await this.tx.run(sql`drop index if exists ${sql.identifier(name)}`);
  }

  /** Creates the deferred indexes again; returns how many. */
  async restore() {
    const definitions = this.definitions ?? [];
    for (const definition of definitions) await this.tx.run(sql.raw(definition));
    this.definitions = null;
    return definitions.length;
  }
}

/**
 * Rescores every lead of a workspace under `model`, in the caller's transaction, a page of leads at
 * a time (`leadPages`). It reads the fields the fit rules use only when the rules change, touchpoints only when their
 * points or the half-life change, and writes only the leads whose scoring columns or stage change
 * (stored fit and engagement are always current: every write rescores its lead). A lead the new
 * model lifts over a threshold moves stage (cause "threshold"). `rebuildFit` and
 * `rebuildEngagement` force a full recomputation (leads that arrive unscored, as demo data does).
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
    /** Workspace size from which index upkeep may be deferred (see DeferredIndexes). */
    deferIndexesFrom?: number;
  } = {},
) {
  const rebuildFit = options.rebuildFit ?? fitChanged(previous, model);
  const rebuildEngagement = options.rebuildEngagement ?? engagementChanged(previous, model);
  const autoStage = options.autoStage ?? true;
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
  const assigned = sql.join(
    writtenColumns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const deferred = new DeferredIndexes(
    tx,
    indexesOver(writtenColumns),
    workspaceLeads,
    wholeTable && workspaceLeads >= (options.deferIndexesFrom ?? 20_000),
  );
  // The batch's new scores, keyed by rowid, so one UPDATE finds each lead by the table's own key.
  await tx.run(sql`create temp table rescored (lead_rowid integer primary key, fit real,
    engagement_pos real, engagement_neg real, engagement_key real, last_touch_at integer,
    pending_touch_at integer, stage text)`);

  let rescored = 0;
  let written = 0;
  let moved = 0;
  for await (const rows of leadPages(tx, workspaceId, wholeTable, fitColumns)) {
    const engagement = rebuildEngagement
      ? await engagementOf(
          tx,
          Array.from(rows, (row) => String(row[ID])),
          fold,
        )
      : new Map<string, EngagementColumns>();
    fold.reset();
    const untouched = fold.columns();

    const values: SQL[] = [];
    const changes: (typeof stageChanges.$inferInsert)[] = [];
    const fitValues: unknown[] = new Array(fitColumns.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const id = String(row[ID]);
      const stage = row[STAGE] as LeadStage;
      for (let f = 0; f < fitColumns.length; f++) {
        const value = row[FIT_FIELDS + f];
        fitValues[f] = value === null ? null : fitColumns[f]!.mapFromDriverValue(value);
      }
      const columns = {
        fit: rebuildFit ? fit.fitOf(fitValues as Parameters<typeof fit.fitOf>[0]) : (row[FIT] as number),
        ...(rebuildEngagement
          ? (engagement.get(id) ?? untouched)
          : {
              engagementPos: row[POS] as number | null,
              engagementNeg: row[NEG] as number | null,
              engagementKey: row[KEY] as number | null,
              lastTouchAt: row[LAST_TOUCH] as number | null,
              pendingTouchAt: row[PENDING] as number | null,
            }),
      };
      const score = liveScore(columns, model, nowMs);
      const nextStage = autoStage
        ? nextAutomaticStage(stage, score.score, score.grade, model.document)
        : stage;
      if (
        columns.fit === row[FIT] &&
        nextStage === stage &&
        columns.engagementPos === row[POS] &&
        columns.engagementNeg === row[NEG] &&
        columns.engagementKey === row[KEY] &&
        columns.lastTouchAt === row[LAST_TOUCH] &&
        columns.pendingTouchAt === row[PENDING]
      ) {
        continue;
      }
      if (nextStage !== stage) {
        changes.push({
          id: newId(),
          workspaceId,
          leadId: id,
          fromStage: stage,
          toStage: nextStage,
          cause: 'threshold',
          userId,
          at: now,
        });
      }
      values.push(
        sql`(${row[ROWID]}, ${columns.fit}, ${columns.engagementPos}, ${columns.engagementNeg}, ${columns.engagementKey}, ${columns.lastTouchAt}, ${columns.pendingTouchAt}, ${nextStage})`,
      );
    }
    rescored += rows.length;
    written += values.length;
    moved += changes.length;
    await deferred.consider(rescored, written);
    if (values.length) {
      for (let start = 0; start < values.length; start += WRITE_ROWS) {
        await tx.run(
          sql`insert into temp.rescored values ${sql.join(values.slice(start, start + WRITE_ROWS), sql`, `)}`,
        );
      }
      // Driven by the batch's rowids, never a scan of the workspace.
      await tx.run(sql`update leads set (${assigned}) = (select ${assigned} from temp.rescored r
          where r.lead_rowid = leads.rowid)
        where rowid in (select lead_rowid from temp.rescored)`);
      await tx.run(sql`delete from temp.rescored`);
    }
    if (changes.length) await tx.insert(stageChanges).values(changes);
  }
  await tx.run(sql`drop table temp.rescored`);
  const deferredIndexes = await deferred.restore();
  return { rescored, changed: written, stageChanges: moved, deferredIndexes };
}
