import type { LeadListQuery } from '@leadline/shared';
import { and, desc, inArray, lt, lte, max, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { leadFilters } from '../db/lead-filters';
import type { LeadRow } from '../db/lead-row';
import { selectLeads } from '../db/lead-rows';
import { leads } from '../db/schema';
import { dueEngagement } from './live-scores';
import type { ActiveModel } from './model.service';
import { rawScoreAt } from './score-at';

interface Candidate {
  id: string;
  fit: number;
  engagementKey: number | null;
  raw: number;
}

export interface Ranked {
  row: LeadRow;
  raw: number;
}

/**
 * The ranking order: live score (unrounded) descending, then engagement, then id, all descending.
 * Within one fit value this is exactly the order of the (workspace, fit, engagement_key, id) index.
 */
export function compareRanked(a: Candidate, b: Candidate): number {
  if (a.raw !== b.raw) return b.raw - a.raw;
  const ka = a.engagementKey ?? Number.NEGATIVE_INFINITY;
  const kb = b.engagementKey ?? Number.NEGATIVE_INFINITY;
  if (ka !== kb) return kb - ka;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

type Filters = Omit<LeadListQuery, 'sort' | 'limit' | 'cursor'>;

const candidateColumns = { id: leads.id, fit: leads.fit, engagementKey: leads.engagementKey };

type Folded = Awaited<ReturnType<typeof dueEngagement>>;

/**
 * The leads (of `where`) whose touchpoint logged ahead of time has come due by `atMs` but is not
 * folded yet, scored from their touchpoints: their stored key is stale, so the index cannot rank
 * them. Few (the timer folds them), and found through the (workspace, pending_touch_at) index.
 */
async function dueCandidates(
  db: Executor,
  where: SQL[],
  model: ActiveModel,
  atMs: number,
): Promise<{ candidates: Candidate[]; folded: Folded }> {
  const due = await db
    .select({ id: leads.id, fit: leads.fit })
    .from(leads)
    .where(and(...where, lte(leads.pendingTouchAt, new Date(atMs))));
  const folded = await dueEngagement(
    db,
    due.map((lead) => lead.id),
    model,
    atMs,
  );
  const candidates = due.map(({ id, fit }) => {
    const { engagementKey } = folded.get(id)!;
    return { id, fit, engagementKey, raw: rawScoreAt(fit, engagementKey, model, atMs) };
  });
  return { candidates, folded };
}

/** Full rows for the winners, in their ranked order (due leads shown with their touchpoints folded). */
async function withRows(
  db: Executor,
  workspaceId: string,
  ranked: Candidate[],
  folded: Folded,
): Promise<Ranked[]> {
  if (!ranked.length) return [];
  // By primary key alone: with the workspace in the WHERE too, SQLite may pick a workspace index
  // and scan it. The candidates all came from this workspace already.
  const rows = await selectLeads(
    db,
    inArray(
      leads.id,
      ranked.map((candidate) => candidate.id),
    ),
  );
  const byId = new Map(rows.filter((row) => row.workspaceId === workspaceId).map((row) => [row.id, row]));
  return ranked.map((candidate) => {
    const row = byId.get(candidate.id)!;
    const columns = folded.get(candidate.id);
    return { row: columns ? { ...row, ...columns } : row, raw: candidate.raw };
  });
}

/**
 * The exact top `k` leads by live score at `atMs`, without reading every lead.
 *
 * Score is `wf * fit + we * curve(E(t))` with `curve` (0..100) non-decreasing in `E(t)` and `E(t)`
 * increasing in the stored engagement key, so
 * among leads of one fit value the index (workspace, fit, engagement_key, id) read backwards is
 * already in score order. The walk takes fit values from the highest down, reads at most `k` index
 * entries of each (id, fit and key only: the index covers them), and stops once the k-th best so far
 * beats anything a lower fit value could reach (`wf * fit + we * 100`): a threshold algorithm over
 * the fit and engagement orders, exact with ties. Only the `k` winners are read in full. Leads with
 * a due, unfolded touchpoint are scored from their touchpoints first and merged in; the walk skips
 * their stale index entries (reading `k` more per fit value than there are of them).
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
  const due = await dueCandidates(db, where, model, atMs);
  const dueIds = new Set(due.candidates.map((candidate) => candidate.id));
  let best: Candidate[] = due.candidates.sort(compareRanked).slice(0, k);
  let ceiling = Number.POSITIVE_INFINITY;
  for (;;) {
    if (best.length >= k && ceiling !== Number.POSITIVE_INFINITY) {
      // Leads of a lower fit value score at most `bound`: strictly less when fit counts (wf > 0), so
      // an equal k-th is enough; with wf = 0 they can tie it and win on engagement or id.
      const bound = wf * ceiling + we * 100;
      const kth = best[k - 1]!.raw;
      if (kth > bound || (wf > 0 && kth >= bound)) break;
    }
    const below: SQL[] = ceiling === Number.POSITIVE_INFINITY ? [] : [lt(leads.fit, ceiling)];
    const next = db
      .select({ fit: max(leads.fit) })
      .from(leads)
      .where(and(...where, ...below));
    const group = await db
      .select(candidateColumns)
      .from(leads)
      .where(and(...where, sql`${leads.fit} = (${next})`))
      .orderBy(desc(leads.engagementKey), desc(leads.id))
      .limit(k + dueIds.size);
    if (!group.length) break;
    ceiling = group[0]!.fit;
    best = best
      .concat(
        group
          .filter((entry) => !dueIds.has(entry.id))
          .map((entry) => ({ ...entry, raw: rawScoreAt(entry.fit, entry.engagementKey, model, atMs) })),
      )
      .sort(compareRanked)
      .slice(0, k);
  }
  return withRows(db, workspaceId, best, due.folded);
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
  const all = await db
    .select({ ...candidateColumns, pendingTouchAt: leads.pendingTouchAt })
    .from(leads)
    .where(and(...leadFilters(workspaceId, filters)));
  const due = all.filter((entry) => entry.pendingTouchAt !== null && entry.pendingTouchAt.getTime() <= atMs);
  const folded = await dueEngagement(
    db,
    due.map((entry) => entry.id),
    model,
    atMs,
  );
  const ranked = all
    .map(({ id, fit, engagementKey: stored }) => {
      const engagementKey = folded.get(id)?.engagementKey ?? stored;
      return { id, fit, engagementKey, raw: rawScoreAt(fit, engagementKey, model, atMs) };
    })
    .sort(compareRanked)
    .slice(0, k);
  return withRows(db, workspaceId, ranked, folded);
}
