import {
  evaluateFit,
  type FitField,
  type LeadStage,
  nextAutomaticStage,
  type ScorableLead,
} from '@leadline/shared';
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Executor } from '../db/client';
import { leads, stageChanges } from '../db/schema';
import { newId } from '../lib/tokens';
import { engagementColumns, liveScore } from './lead-scoring';
import type { ActiveModel } from './model.service';

const BATCH = 2000;

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

/** Builds the nested lead a fit rule reads from flat `field -> value` pairs. */
function scorableFrom(values: Record<string, unknown>): ScorableLead {
  const lead: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const parts = path.split('.');
    let target = lead;
    for (const part of parts.slice(0, -1)) {
      target[part] ??= {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts.at(-1)!] = value;
  }
  return lead as ScorableLead;
}

/** Whether a new model changes engagement (points or half-life), or only fit, weights and thresholds. */
export function engagementChanged(previous: ActiveModel, next: ActiveModel): boolean {
  if (previous.halfLifeMs !== next.halfLifeMs || previous.landmarkMs !== next.landmarkMs) return true;
  const before = previous.document.touchpointPoints;
  const after = next.document.touchpointPoints;
  return (Object.keys(after) as (keyof typeof after)[]).some((type) => before[type] !== after[type]);
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Rescores every lead of a workspace under `model`, in the caller's transaction, in batches walked by
 * id. It reads only the columns the fit rules use, reads touchpoints only when the model changes
 * their points or half-life, and writes only the leads whose scoring columns or stage change. A lead
 * the new model lifts over a threshold moves stage (cause "threshold").
 */
export async function rescoreAll(
  tx: Executor,
  workspaceId: string,
  previous: ActiveModel,
  model: ActiveModel,
  now: Date,
  userId: string | null,
  options: { rebuildEngagement?: boolean; autoStage?: boolean } = {},
) {
  const rebuildEngagement = options.rebuildEngagement ?? engagementChanged(previous, model);
  const autoStage = options.autoStage ?? true;
  const nowMs = now.getTime();
  const fitFields = [...new Set(model.document.fitRules.map((rule) => rule.field))];
  const fitSelection = Object.fromEntries(fitFields.map((field, i) => [`f${i}`, FIT_COLUMNS[field]]));
  try {
    // A larger page cache for this connection: the walk touches every lead and its index entries.
    await tx.run(sql`pragma cache_size = -131072`);
  } catch {
    // a server that refuses the pragma rescores all the same
  }
  let lastId = '';
  let rescored = 0;
  let written = 0;
  let moved = 0;
  for (;;) {
    const rows = await tx
      .select({
        id: leads.id,
        workspaceId: leads.workspaceId,
        sourceChannel: leads.sourceChannel,
        createdAt: leads.createdAt,
        updatedAt: leads.updatedAt,
        stage: leads.stage,
        fit: leads.fit,
        engagementPos: leads.engagementPos,
        engagementNeg: leads.engagementNeg,
        engagementKey: leads.engagementKey,
        lastTouchAt: leads.lastTouchAt,
        pendingTouchAt: leads.pendingTouchAt,
        ...fitSelection,
      })
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), gt(leads.id, lastId)))
      .orderBy(asc(leads.id))
      .limit(BATCH);
    if (!rows.length) break;
    lastId = rows.at(-1)!.id;

    // The batch's touchpoints in one range scan of the (lead_id, type, occurred_at) index, as plain
    // arrays: a rebuild reads every touchpoint, so per-row objects and Dates would dominate.
    const touchesByLead = new Map<string, { type: string; at: number }[]>();
    const batchIds = new Set(rows.map((row) => row.id));
    if (rebuildEngagement) {
      const touchRows = await tx.values<[string, string, number]>(
        sql`select lead_id, type, occurred_at from touchpoints
            where lead_id >= ${rows[0]!.id} and lead_id <= ${lastId}`,
      );
      for (const touchRow of touchRows) {
        // libSQL rows are array-like, not iterable.
        const leadId = touchRow[0];
        const type = touchRow[1];
        const at = Number(touchRow[2]);
        // The id range may hold leads of other workspaces; only this batch's count. (A workspace
        // condition in SQL would tempt SQLite into scanning the workspace's touchpoints instead.)
        if (!batchIds.has(leadId)) continue;
        const list = touchesByLead.get(leadId);
        if (list) list.push({ type, at });
        else touchesByLead.set(leadId, [{ type, at }]);
      }
    }

    const values: SQL[] = [];
    const changes: (typeof stageChanges.$inferInsert)[] = [];
    for (const row of rows) {
      const record = row as unknown as Record<string, unknown>;
      const fit = evaluateFit(
        scorableFrom(Object.fromEntries(fitFields.map((field, i) => [field, record[`f${i}`]]))),
        model.document,
      ).fit;
      const engagement = rebuildEngagement
        ? engagementColumns(touchesByLead.get(row.id) ?? [], model, nowMs)
        : {
            engagementPos: row.engagementPos,
            engagementNeg: row.engagementNeg,
            engagementKey: row.engagementKey,
            lastTouchAt: row.lastTouchAt,
            pendingTouchAt: row.pendingTouchAt,
          };
      const columns = { fit, ...engagement };
      const score = liveScore(columns, model, nowMs);
      const stage = autoStage
        ? nextAutomaticStage(row.stage as LeadStage, score.score, score.grade, model.document)
        : (row.stage as LeadStage);
      if (
        fit === row.fit &&
        stage === row.stage &&
        columns.engagementPos === row.engagementPos &&
        columns.engagementNeg === row.engagementNeg &&
        columns.engagementKey === row.engagementKey &&
        sameTime(columns.lastTouchAt, row.lastTouchAt) &&
        sameTime(columns.pendingTouchAt, row.pendingTouchAt)
      ) {
        continue;
      }
      if (stage !== row.stage) {
        changes.push({
          id: newId(),
          workspaceId,
          leadId: row.id,
          fromStage: row.stage,
          toStage: stage,
          cause: 'threshold',
          userId,
          at: now,
        });
      }
      values.push(
        sql`(${row.id}, ${row.workspaceId}, ${row.sourceChannel}, ${row.createdAt.getTime()}, ${row.updatedAt.getTime()}, ${
          columns.fit
        }, ${columns.engagementPos}, ${columns.engagementNeg}, ${columns.engagementKey}, ${
          columns.lastTouchAt?.getTime() ?? null
        }, ${columns.pendingTouchAt?.getTime() ?? null}, ${stage})`,
      );
    }
    if (values.length) {
      // An upsert on the primary key: every row is found by its id (UPDATE ... FROM a VALUES list
      // lets SQLite scan the table). Every lead exists, so only the DO UPDATE part runs.
      for (let start = 0; start < values.length; start += 1000) {
        await tx.run(sql`
          insert into leads (id, workspace_id, source_channel, created_at, updated_at, fit, engagement_pos,
            engagement_neg, engagement_key, last_touch_at, pending_touch_at, stage)
          values ${sql.join(values.slice(start, start + 1000), sql`, `)}
          on conflict(id) do update set fit = excluded.fit, engagement_pos = excluded.engagement_pos,
            engagement_neg = excluded.engagement_neg, engagement_key = excluded.engagement_key,
            last_touch_at = excluded.last_touch_at, pending_touch_at = excluded.pending_touch_at,
            stage = excluded.stage`);
      }
    }
    if (changes.length) await tx.insert(stageChanges).values(changes);
    rescored += rows.length;
    written += values.length;
    moved += changes.length;
  }
  return { rescored, changed: written, stageChanges: moved };
}
