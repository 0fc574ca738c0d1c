import { type Attribution, type AttributionModel, MS_PER_DAY } from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { inRange, leadFilter, type Scope, stagesFrom } from './analytics.sql';
import { attributionFigures, type CreditRow } from './attribution.service';

/*
 * Attribution as the endpoint computed it before deal_credits (migration 0021): each won deal's
 * touches numbered, weighted and split into cents in one query at request time. Nothing serves
 * requests from here: rollups.property.test.ts holds the endpoint equal to it (see from-history.ts).
 */

const HALF_LIFE_MS = 7 * MS_PER_DAY;

/**
 * Each model's weight for touch `rn` of `n` (1-based, in time order) of one won deal; the weights of a
 * deal sum to 1. `mql_rn` and `opp_rn` are the W-shaped anchors (see docs/analytics.md).
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

/** Attribution from the history alone: every won deal's touches numbered and split at request time. */
export async function attributionFromHistory(
  db: Executor,
  scope: Scope,
  model: AttributionModel,
): Promise<Attribution> {
  const rows = await db.all<CreditRow>(sql`
    with won as materialized (
      select l.id, l.source_channel as channel, coalesce(l.utm_campaign, '') as campaign,
        cast(round(coalesce(l.deal_value, 0) * 100) as integer) as cents,
        coalesce((select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = 'won'),
          l.updated_at) as won_at
      from leads l where ${leadFilter(scope)} and l.stage = 'won'
    ),
    dated as materialized (
      select w.*,
        (select min(sc.at) from stage_changes sc where sc.lead_id = w.id and sc.to_stage in ${stagesFrom(1)}) as mql_at,
        (select min(sc.at) from stage_changes sc where sc.lead_id = w.id and sc.to_stage in ${stagesFrom(3)}) as opp_at
      from won w where ${inRange(sql`w.won_at`, scope)}
    ),
    -- Per deal, from the index of its touches by time alone: how many up to the close (n), the last
    -- one's time, and (touches being numbered in time order) the number of the last touch up to the
    -- MQL and opportunity moments, which is how many touches came by then.
    counts as materialized (
      select d.*,
        (select count(*) from touchpoints t where t.lead_id = d.id and t.occurred_at <= d.won_at) as n,
        (select max(t.occurred_at) from touchpoints t where t.lead_id = d.id and t.occurred_at <= d.won_at) as last_at,
        max(1, (select count(*) from touchpoints t where t.lead_id = d.id and t.occurred_at <= d.won_at
          and t.occurred_at <= coalesce(d.mql_at, d.won_at))) as mql_rn,
        max(1, (select count(*) from touchpoints t where t.lead_id = d.id and t.occurred_at <= d.won_at
          and t.occurred_at <= coalesce(d.opp_at, d.won_at))) as opp_rn
      from dated d
    ),
    deals as materialized (
      select d.*,
        ${model === 'time_decay' ? sql`(select sum(exp(${Math.LN2} * (t.occurred_at - d.last_at) / ${HALF_LIFE_MS})) from touchpoints t where t.lead_id = d.id and t.occurred_at <= d.won_at)` : sql`1`} as decay_sum
      from counts d
    ),
    -- The deals' touches, read from touchpoints_lead_idx (lead, time, id, channel) in deal order, so
    -- numbering them needs no sort.
    touches as materialized (
      select d.id, coalesce(t.channel, d.channel) as channel, d.campaign, d.cents, t.occurred_at as at,
        row_number() over (partition by t.lead_id order by t.occurred_at, t.id) as rn,
        d.n, d.last_at, d.mql_rn, d.opp_rn, d.decay_sum
      from touchpoints t join deals d on d.id = t.lead_id
      where t.lead_id in (select id from deals) and t.occurred_at <= d.won_at
    ),
    counted as (
      select *, 1 + (mql_rn <> 1) + (opp_rn <> 1 and opp_rn <> mql_rn) as anchors from touches
    ),
    floored as (
      select id, rn, n, channel, campaign, cents, exact, cast(exact as integer) as base
      from (select *, cents * ${WEIGHTS[model]} as exact from counted)
    ),
    ranked as (
      select *, cents - sum(base) over share as left_over, row_number() over by_share as k, n as m
      from floored
      window by_share as (partition by id order by exact - base desc, rn),
        share as (by_share rows between unbounded preceding and unbounded following)
    )
    select channel, campaign, sum(base + (case
        when k <= left_over then 1
        when left_over < 0 and k > m + left_over then -1
        else 0 end)) as cents
    from ranked group by channel, campaign
    union all
    select d.channel, d.campaign, sum(d.cents) from deals d
    where d.n = 0
    group by d.channel, d.campaign`);

  const [deals] = await db.all<{ n: number; cents: number }>(sql`
    with won as (
      select cast(round(coalesce(l.deal_value, 0) * 100) as integer) as cents,
        coalesce((select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = 'won'),
          l.updated_at) as won_at
      from leads l where ${leadFilter(scope)} and l.stage = 'won'
    )
    select count(*) as n, coalesce(sum(cents), 0) as cents from won where ${inRange(sql`won_at`, scope)}`);

  return attributionFigures(model, rows, deals);
}
