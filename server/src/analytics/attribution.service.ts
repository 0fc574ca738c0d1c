import type { Attribution, AttributionModel } from '@leadline/shared';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { inRange, ratio, rollupFilter, type Scope } from './analytics.sql';

/** Credit in cents to one (channel, campaign); a deal's rows may repeat a pair, they add up. */
export interface CreditRow {
  channel: string;
  campaign: string;
  cents: number;
}

/**
 * Credits the value of every deal won in the range (current stage won, won at its latest change into
 * won) to the channels of its touchpoints up to that moment, by `model` (docs/analytics.md,
 * "Attribution"). Values are split in whole cents: each touch gets the floor of its exact share and
 * the cents left over go, one each, to the touches with the largest remainders (then the earliest),
 * so each deal's credits sum to its value. Each deal's split is kept in deal_credits, computed for the
 * deal alone by the triggers of migration 0021 whenever the deal, its close, its stage history or its
 * touchpoints up to the close change; here the deals of the range are only added up.
 */
export async function attribution(db: Executor, scope: Scope, model: AttributionModel): Promise<Attribution> {
  const won = sql`${rollupFilter(scope, 'f')} and f.stage = 'won' and ${inRange(sql`f.closed_at`, scope)}`;
  const rows = await db.all<CreditRow>(sql`
    select c.channel, coalesce(f.utm_campaign, '') as campaign, sum(c.cents) as cents
    from lead_facts f indexed by lead_facts_stage_idx
    join deal_credits c on c.lead_id = f.lead_id and c.model = ${model}
    where ${won}
    group by c.channel, campaign`);
  const [deals] = await db.all<{ n: number; cents: number }>(sql`
    select count(*) as n, coalesce(sum(cast(round(coalesce(f.deal_value, 0) * 100) as integer)), 0) as cents
    from lead_facts f indexed by lead_facts_stage_idx where ${won}`);
  return attributionFigures(model, rows, deals);
}

/** The attribution answer from the credit rows and the range's won deals (count, cents). */
export function attributionFigures(
  model: AttributionModel,
  rows: CreditRow[],
  deals: { n: number; cents: number } | undefined,
): Attribution {
  const totalCents = deals?.cents ?? 0;
  const combined = new Map<string, { channel: string; campaign: string; cents: number }>();
  for (const row of rows) {
    const key = JSON.stringify([row.channel, row.campaign]);
    const into = combined.get(key) ?? { channel: row.channel, campaign: row.campaign, cents: 0 };
    into.cents += row.cents;
    combined.set(key, into);
  }
  for (const [key, row] of combined) if (row.cents === 0) combined.delete(key);
  const rollUp = (keyOf: (row: { channel: string; campaign: string }) => string) => {
    const sums = new Map<string, number>();
    for (const row of combined.values()) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + row.cents);
    return [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  return {
    model,
    wonDeals: deals?.n ?? 0,
    wonValue: totalCents / 100,
    channels: rollUp((row) => row.channel).map(([channel, cents]) => ({
      channel,
      credit: cents / 100,
      share: ratio(cents, totalCents),
    })),
    campaigns: rollUp((row) => row.campaign).map(([campaign, cents]) => ({
      campaign: campaign || null,
      credit: cents / 100,
      share: ratio(cents, totalCents),
    })),
    rows: [...combined.values()]
      .sort(
        (a, b) =>
          b.cents - a.cents || a.channel.localeCompare(b.channel) || a.campaign.localeCompare(b.campaign),
      )
      .map((row) => ({ channel: row.channel, campaign: row.campaign || null, credit: row.cents / 100 })),
  };
}
