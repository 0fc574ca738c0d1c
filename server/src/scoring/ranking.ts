import type { LeadListQuery } from '@leadline/shared';
import { and, desc, lt, max, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { leads } from '../db/schema';
import type { LeadRow } from '../leads/leads.mapper';
import { leadFilters } from '../leads/leads.service';
import { rawScore } from './lead-scoring';
import type { ActiveModel } from './model.service';

export interface Ranked {
  row: LeadRow;
  raw: number;
}

/**
 * The ranking order: live score (unrounded) descending, then engagement, then id, all descending.
 * Within one fit value this is exactly the order of the (workspace, fit, engagement_key, id) index.
 */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.raw !== b.raw) return b.raw - a.raw;
  const ka = a.row.engagementKey ?? Number.NEGATIVE_INFINITY;
  const kb = b.row.engagementKey ?? Number.NEGATIVE_INFINITY;
  if (ka !== kb) return kb - ka;
  return a.row.id < b.row.id ? 1 : a.row.id > b.row.id ? -1 : 0;
}

type Filters = Omit<LeadListQuery, 'sort' | 'limit' | 'cursor'>;

/**
 * The exact top `k` leads by live score at `atMs`, without reading every lead.
 *
 * Score is `wf * fit + we * min(E(t), 100)` with `E(t)` increasing in the stored engagement key, so
 * among leads of one fit value the index (workspace, fit, engagement_key, id) read backwards is
 * already in score order. The walk takes fit values from the highest down, reads at most `k` leads
 * of each, and stops once the k-th best so far beats anything a lower fit value could reach
 * (`wf * fit + we * 100`): a threshold algorithm over the fit and engagement orders, exact with ties.
 */
export async function topByScore(
  db: Executor,
  workspaceId: string,
  filters: Filters,
  k: number,
  model: ActiveModel,
  atMs: number,
): Promise<Ranked[]> {
  const { fit: wf, engagement: we } = model.document.weights;
  const where = leadFilters(workspaceId, filters);
  let best: Ranked[] = [];
  let ceiling = Number.POSITIVE_INFINITY;
  for (;;) {
    if (
      best.length >= k &&
      ceiling !== Number.POSITIVE_INFINITY &&
      best[k - 1]!.raw >= wf * ceiling + we * 100
    )
      break;
    const below: SQL[] = ceiling === Number.POSITIVE_INFINITY ? [] : [lt(leads.fit, ceiling)];
    const next = db
      .select({ fit: max(leads.fit) })
      .from(leads)
      .where(and(...where, ...below));
    const rows = await db
      .select()
      .from(leads)
      .where(and(...where, sql`${leads.fit} = (${next})`))
      .orderBy(desc(leads.engagementKey), desc(leads.id))
      .limit(k);
    if (!rows.length) break;
    ceiling = rows[0]!.fit;
    best = best
      .concat(rows.map((row) => ({ row, raw: rawScore(row.fit, row.engagementKey, model, atMs) })))
      .sort(compareRanked)
      .slice(0, k);
  }
  return best;
}

/** The same answer by reading every lead: the reference the fast path is tested and benchmarked against. */
export async function topByScoreBruteForce(
  db: Executor,
  workspaceId: string,
  filters: Filters,
  k: number,
  model: ActiveModel,
  atMs: number,
): Promise<Ranked[]> {
  const rows = await db
    .select()
    .from(leads)
    .where(and(...leadFilters(workspaceId, filters)));
  return rows
    .map((row) => ({ row, raw: rawScore(row.fit, row.engagementKey, model, atMs) }))
    .sort(compareRanked)
    .slice(0, k);
}
