import {
  DEFAULT_STAGE_PROBABILITIES,
  type SourceCost,
  type SourceCostList,
  type StageProbabilities,
  stageProbabilitiesSchema,
} from '@leadline/shared';
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { sourceCosts, workspaces } from '../db/schema';

/** The workspace's stage probabilities; the defaults for any stage it has not set. */
export async function getStageProbabilities(db: Executor, workspaceId: string): Promise<StageProbabilities> {
  const [row] = await db
    .select({ value: workspaces.stageProbabilities })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const stored = stageProbabilitiesSchema.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_STAGE_PROBABILITIES, ...(stored.success ? stored.data : {}) };
}

export async function setStageProbabilities(
  db: Executor,
  workspaceId: string,
  probabilities: StageProbabilities,
): Promise<StageProbabilities> {
  await db
    .update(workspaces)
    .set({ stageProbabilities: probabilities })
    .where(eq(workspaces.id, workspaceId));
  return probabilities;
}

export async function listSourceCosts(
  db: Executor,
  workspaceId: string,
  query: { from?: string; to?: string; channel?: string },
): Promise<SourceCostList> {
  const rows = await db
    .select()
    .from(sourceCosts)
    .where(
      and(
        eq(sourceCosts.workspaceId, workspaceId),
        query.from ? gte(sourceCosts.month, query.from) : undefined,
        query.to ? lte(sourceCosts.month, query.to) : undefined,
        query.channel ? eq(sourceCosts.channel, query.channel) : undefined,
      ),
    )
    .orderBy(
      asc(sourceCosts.month),
      asc(sourceCosts.channel),
      asc(sourceCosts.utmSource),
      asc(sourceCosts.utmCampaign),
    );
  return {
    items: rows.map((row) => ({
      month: row.month,
      channel: row.channel as SourceCost['channel'],
      utmSource: row.utmSource,
      utmCampaign: row.utmCampaign,
      amount: row.amount,
      updatedAt: row.updatedAt.toISOString(),
    })),
  };
}

/** Inserts or replaces each (month, channel, UTM source, UTM campaign) cost. */
export async function upsertSourceCosts(
  db: Executor,
  workspaceId: string,
  items: SourceCost[],
  now = new Date(),
): Promise<void> {
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500);
    if (chunk.length === 0) continue;
    await db
      .insert(sourceCosts)
      .values(chunk.map((item) => ({ ...item, workspaceId, updatedAt: now })))
      .onConflictDoUpdate({
        target: [
          sourceCosts.workspaceId,
          sourceCosts.month,
          sourceCosts.channel,
          sourceCosts.utmSource,
          sourceCosts.utmCampaign,
        ],
        set: { amount: sql`excluded.amount`, updatedAt: sql`excluded.updated_at` },
      });
  }
}
