import { evaluateFit, type LeadStage, nextAutomaticStage } from '@leadline/shared';
import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { leads, stageChanges, touchpoints } from '../db/schema';
import { toWireLead, ZERO_SCORE } from '../leads/leads.mapper';
import { newId } from '../lib/tokens';
import { liveScore, scoringColumns } from './lead-scoring';
import type { ActiveModel } from './model.service';

const BATCH = 1000;

/** Whether a new model changes engagement (points or half-life), or only fit, weights and thresholds. */
export function engagementChanged(previous: ActiveModel, next: ActiveModel): boolean {
  if (previous.halfLifeMs !== next.halfLifeMs || previous.landmarkMs !== next.landmarkMs) return true;
  const before = previous.document.touchpointPoints;
  const after = next.document.touchpointPoints;
  return (Object.keys(after) as (keyof typeof after)[]).some((type) => before[type] !== after[type]);
}

/**
 * Rescores every lead of a workspace under `model`, in the caller's transaction, a thousand leads a
 * statement. Touchpoints are read again only when the model changes their points or half-life.
 * A lead the new model lifts over a threshold moves stage (cause "threshold").
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
  let lastId = '';
  let rescored = 0;
  let moved = 0;
  for (;;) {
    const rows = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), gt(leads.id, lastId)))
      .orderBy(asc(leads.id))
      .limit(BATCH);
    if (!rows.length) break;
    lastId = rows.at(-1)!.id;

    const touchesByLead = new Map<string, { type: string; occurredAt: Date }[]>();
    if (rebuildEngagement) {
      const touchRows = await tx
        .select({ leadId: touchpoints.leadId, type: touchpoints.type, occurredAt: touchpoints.occurredAt })
        .from(touchpoints)
        .where(
          inArray(
            touchpoints.leadId,
            rows.map((row) => row.id),
          ),
        );
      for (const touchpoint of touchRows) {
        const list = touchesByLead.get(touchpoint.leadId);
        if (list) list.push(touchpoint);
        else touchesByLead.set(touchpoint.leadId, [touchpoint]);
      }
    }

    const values: SQL[] = [];
    const changes: (typeof stageChanges.$inferInsert)[] = [];
    for (const row of rows) {
      const columns = rebuildEngagement
        ? scoringColumns(row, touchesByLead.get(row.id) ?? [], model, nowMs)
        : {
            fit: evaluateFit(toWireLead(row, ZERO_SCORE), model.document).fit,
            engagementPos: row.engagementPos,
            engagementNeg: row.engagementNeg,
            engagementKey: row.engagementKey,
            lastTouchAt: row.lastTouchAt,
            pendingTouchAt: row.pendingTouchAt,
          };
      const score = liveScore(columns, model, nowMs);
      const stage = autoStage
        ? nextAutomaticStage(row.stage as LeadStage, score.score, score.grade, model.document)
        : (row.stage as LeadStage);
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
    // An upsert on the primary key: every row is found by its id. (UPDATE ... FROM a VALUES list
    // lets SQLite scan leads for each batch.) Every lead exists, so only the DO UPDATE part runs.
    await tx.run(sql`
      insert into leads (id, workspace_id, source_channel, created_at, updated_at, fit, engagement_pos,
        engagement_neg, engagement_key, last_touch_at, pending_touch_at, stage)
      values ${sql.join(values, sql`, `)}
      on conflict(id) do update set fit = excluded.fit, engagement_pos = excluded.engagement_pos,
        engagement_neg = excluded.engagement_neg, engagement_key = excluded.engagement_key,
        last_touch_at = excluded.last_touch_at, pending_touch_at = excluded.pending_touch_at,
        stage = excluded.stage`);
    if (changes.length) await tx.insert(stageChanges).values(changes);
    rescored += rows.length;
    moved += changes.length;
  }
  return { rescored, stageChanges: moved };
}
