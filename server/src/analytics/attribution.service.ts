import type { Attribution, AttributionModel } from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { inRange, leadFilter, ratio, type Scope, stagesFrom } from './analytics.sql';

const HALF_LIFE_MS = 7 * 86_400_000;

/**
 * Each model's weight for touch `rn` of `n` (1-based, in time order) of one won deal; the weights of a
 * deal sum to 1. `mql_rn` and `opp_rn` are the W-shaped anchors (see README).
 */
const WEIGHTS: Record<AttributionModel, SQL> = {
  first_touch: sql`(case when rn = 1 then 1.0 else 0.0 end)`,
  last_touch: sql`(case when rn = n then 1.0 else 0.0 end)`,
  linear: sql`(1.0 / n)`,
  u_shaped: sql`(case
    when n = 1 then 1.0
    when n = 2 then 0.5
    when rn = 1 or rn = n then 0.4
    else 0.2 / (n - 2) end)`,
  // Three anchor slots of 0.3 (slots on the same touch add up) and 0.1 spread evenly over the other
  // touches; with no other touch the 0.1 goes to the three slots too.
  w_shaped: sql`(
    ((rn = 1) + (rn = mql_rn) + (rn = opp_rn)) * (0.3 + (case when n = anchors then 0.1 / 3 else 0.0 end))
    + (case when rn <> 1 and rn <> mql_rn and rn <> opp_rn then 0.1 / (n - anchors) else 0.0 end))`,
  // 2^(-(won - touch) / half-life), relative to the last touch so nothing underflows to a zero sum.
  time_decay: sql`(exp(${Math.LN2} * (at - last_at) / ${HALF_LIFE_MS}) / decay_sum)`,
};

/**
 * Credits the value of every deal won in the range (current stage won, won at its latest change into
 * won) to the channels of its touchpoints up to that moment, by `model`. Values are split in whole
 * cents: each touch gets the floor of its exact share and the cents left over go, one each, to the
 * touches with the largest remainders (then the earliest), so each deal's credits sum to its value.
 */
export async function attribution(db: Executor, scope: Scope, model: AttributionModel): Promise<Attribution> {
  const rows = await db.all<{ channel: string; campaign: string; cents: number }>(sql`
    with won as materialized (
      select l.id, l.source_channel as channel, coalesce(l.utm_campaign, '') as campaign,
        cast(round(coalesce(l.deal_value, 0) * 100) as integer) as cents,
        coalesce((select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = 'won'),
          l.updated_at) as won_at
      from leads l where ${leadFilter(scope)} and l.stage = 'won'
    ),
    deals as materialized (
      select w.*,
        (select min(sc.at) from stage_changes sc where sc.lead_id = w.id and sc.to_stage in ${stagesFrom(1)}) as mql_at,
        (select min(sc.at) from stage_changes sc where sc.lead_id = w.id and sc.to_stage in ${stagesFrom(3)}) as opp_at
      from won w where ${inRange(sql`w.won_at`, scope)}
    ),
    touches as materialized (
      select d.id, coalesce(t.channel, d.channel) as channel, d.campaign, d.cents, t.occurred_at as at,
        row_number() over (partition by d.id order by t.occurred_at, t.id) as rn,
        count(*) over deal as n,
        max(t.occurred_at) over deal as last_at,
        -- Touches are numbered in time order, so the number of touches up to a moment is the number
        -- of the last touch by then.
        max(1, sum(t.occurred_at <= coalesce(d.mql_at, d.won_at)) over deal) as mql_rn,
        max(1, sum(t.occurred_at <= coalesce(d.opp_at, d.won_at)) over deal) as opp_rn
      from deals d join touchpoints t on t.lead_id = d.id and t.occurred_at <= d.won_at
      window deal as (partition by d.id)
    ),
    counted as (
      select *, 1 + (mql_rn <> 1) + (opp_rn <> 1 and opp_rn <> mql_rn) as anchors,
        ${model === 'time_decay' ? sql`sum(exp(${Math.LN2} * (at - last_at) / ${HALF_LIFE_MS})) over (partition by id)` : sql`1`} as decay_sum
      from touches
    ),
    shares as (
      select id, rn, n, channel, campaign, cents, cents * ${WEIGHTS[model]} as exact from counted
    ),
    floored as (
      select *, cast(exact as integer) as base from shares
    ),
    ranked as (
      select *, cents - sum(base) over (partition by id) as left_over,
        row_number() over (partition by id order by exact - base desc, rn) as k,
        n as m
      from floored
    )
    select channel, campaign, sum(base + (case
        when k <= left_over then 1
        when left_over < 0 and k > m + left_over then -1
        else 0 end)) as cents
    from ranked group by channel, campaign
    union all
    select d.channel, d.campaign, sum(d.cents) from deals d
    where not exists (select 1 from touchpoints t where t.lead_id = d.id and t.occurred_at <= d.won_at)
    group by d.channel, d.campaign`);

  const [deals] = await db.all<{ n: number; cents: number }>(sql`
    with won as (
      select cast(round(coalesce(l.deal_value, 0) * 100) as integer) as cents,
        coalesce((select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = 'won'),
          l.updated_at) as won_at
      from leads l where ${leadFilter(scope)} and l.stage = 'won'
    )
    select count(*) as n, coalesce(sum(cents), 0) as cents from won where ${inRange(sql`won_at`, scope)}`);

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
      .sort((a, b) => b.cents - a.cents || a.channel.localeCompare(b.channel))
      .map((row) => ({ channel: row.channel, campaign: row.campaign || null, credit: row.cents / 100 })),
  };
}
