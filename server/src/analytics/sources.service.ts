import type { Sources } from '@leadline/shared';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { inRange, ratio, rollupFilter, type Scope } from './analytics.sql';

/** One (channel, UTM source, UTM campaign) of the range's leads. */
export interface SourceRow {
  channel: string;
  utmSource: string | null;
  utmCampaign: string | null;
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
  wonValue: number;
}

interface CostRow {
  channel: string;
  utmSource: string;
  utmCampaign: string;
  amount: number;
}

interface Figures {
  leads: number;
  mqls: number;
  sqls: number;
  won: number;
  wonValue: number;
  cost: number | null;
}

const empty = (): Figures => ({ leads: 0, mqls: 0, sqls: 0, won: 0, wonValue: 0, cost: null });

function add(into: Figures, row: Figures) {
  into.leads += row.leads;
  into.mqls += row.mqls;
  into.sqls += row.sqls;
  into.won += row.won;
  into.wonValue += row.wonValue;
  if (row.cost !== null) into.cost = (into.cost ?? 0) + row.cost;
}

function withRatios(figures: Figures) {
  const { cost } = figures;
  return {
    ...figures,
    wonValue: Math.round(figures.wonValue * 100) / 100,
    cost: cost === null ? null : Math.round(cost * 100) / 100,
    costPerLead: cost === null ? null : ratio(cost, figures.leads),
    costPerSql: cost === null ? null : ratio(cost, figures.sqls),
    roi: cost === null ? null : ratio(figures.wonValue - cost, cost),
  };
}

/**
 * Leads created in the range by source, with how many reached MQL and SQL (funnel history), how many
 * are won now and their deal value, and what the source cost over the range's months. Costs are
 * matched to campaign rows on (channel, UTM source, UTM campaign) exactly; a channel row carries every
 * cost of the channel. Costs are not per rep, so with an `owner` filter they are left out (null).
 */
export async function sources(db: Executor, scope: Scope): Promise<Sources> {
  const leadRows = await db.all<SourceRow>(sql`
    select f.source_channel as channel, f.utm_source as utmSource, f.utm_campaign as utmCampaign,
      count(*) as leads, sum(f.reach >= 1) as mqls, sum(f.reach >= 2) as sqls, sum(f.stage = 'won') as won,
      total(case when f.stage = 'won' then f.deal_value end) as wonValue
    from lead_facts f indexed by lead_facts_source_idx
    where ${rollupFilter(scope, 'f')} and ${inRange(sql`f.created_at`, scope)}
    group by f.source_channel, f.utm_source, f.utm_campaign`);
  return sourcesFigures(leadRows, await sourceCosts(db, scope));
}

/** What each source cost over the range's months; none with an `owner` filter (costs are not per rep). */
export async function sourceCosts(db: Executor, scope: Scope): Promise<CostRow[]> {
  if (scope.owner) return [];
  const filters = [sql`workspace_id = ${scope.workspaceId}`];
  if (scope.fromMonth) filters.push(sql`month >= ${scope.fromMonth}`);
  if (scope.toMonth) filters.push(sql`month <= ${scope.toMonth}`);
  if (scope.channel) filters.push(sql`channel = ${scope.channel}`);
  if (scope.campaign) filters.push(sql`utm_campaign = ${scope.campaign}`);
  return db.all<CostRow>(sql`
    select channel, utm_source as utmSource, utm_campaign as utmCampaign, total(amount) as amount
    from source_costs where ${sql.join(filters, sql` and `)}
    group by channel, utm_source, utm_campaign`);
}

/** The sources table from its lead rows and cost rows. */
export function sourcesFigures(leadRows: SourceRow[], costRows: CostRow[]): Sources {
  const channels = new Map<string, Figures>();
  const campaigns = new Map<string, { channel: string; utmSource: string; utmCampaign: string } & Figures>();
  const total = empty();
  const campaignRow = (channel: string, utmSource: string, utmCampaign: string) => {
    const key = JSON.stringify([channel, utmSource, utmCampaign]);
    let row = campaigns.get(key);
    if (!row) {
      row = { channel, utmSource, utmCampaign, ...empty() };
      campaigns.set(key, row);
    }
    return row;
  };
  const channelRow = (channel: string) => {
    let row = channels.get(channel);
    if (!row) {
      row = empty();
      channels.set(channel, row);
    }
    return row;
  };
  for (const row of leadRows) {
    const figures = { ...row, cost: null };
    add(campaignRow(row.channel, row.utmSource ?? '', row.utmCampaign ?? ''), figures);
    add(channelRow(row.channel), figures);
    add(total, figures);
  }
  for (const row of costRows) {
    const cost = { ...empty(), cost: row.amount };
    add(campaignRow(row.channel, row.utmSource, row.utmCampaign), cost);
    add(channelRow(row.channel), cost);
    add(total, cost);
  }
  const byWonValue = (a: Figures, b: Figures) => b.wonValue - a.wonValue || b.leads - a.leads;
  return {
    channels: [...channels]
      .map(([channel, figures]) => ({ channel, ...withRatios(figures) }))
      .sort((a, b) => byWonValue(a, b) || a.channel.localeCompare(b.channel)),
    campaigns: [...campaigns.values()]
      .sort(
        (a, b) =>
          byWonValue(a, b) ||
          a.channel.localeCompare(b.channel) ||
          a.utmSource.localeCompare(b.utmSource) ||
          a.utmCampaign.localeCompare(b.utmCampaign),
      )
      .map(({ channel, utmSource, utmCampaign, ...figures }) => ({
        channel,
        utmSource: utmSource || null,
        utmCampaign: utmCampaign || null,
        ...withRatios(figures),
      })),
    total: withRatios(total),
  };
}
