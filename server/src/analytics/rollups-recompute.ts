import { MS_PER_DAY, OUTBOUND_TOUCHPOINT_TYPES } from '@leadline/shared';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { monthOf, stageRank, stagesFrom } from './analytics.sql';
import { weekOf } from './rep-activity.service';

/*
 * The rollup tables of migrations 0021 and 0022 as stored, and as a plain recomputation from the history
 * (leads, stage_changes, touchpoints) with the definitions the endpoints used before them, for
 * rollups.property.test.ts. Rows come back in a fixed order, so the two compare with `toEqual`.
 */

const FACT_COLUMNS = sql.raw(`lead_id, workspace_id, created_at, created_month, owner_id, source_channel,
  utm_source, utm_campaign, stage, deal_value, closed_updated_at, change_reach, mql_at, opp_at, won_change_at,
  lost_change_at, first_outbound_at, reach, qualified_at, qualified_month, closed_at, speed_ms`);
const STAY_COLUMNS = sql.raw(
  'change_id, lead_id, workspace_id, stage, at, ms, created_at, owner_id, source_channel, utm_campaign',
);

const DAY_COLUMNS = sql.raw('workspace_id, day, n0, n1, n2, n3, n4');

export async function storedRollups(db: Database) {
  return {
    facts: await db.all(sql`select ${FACT_COLUMNS} from lead_facts order by lead_id`),
    stays: await db.all(sql`select ${STAY_COLUMNS} from lead_stays order by change_id`),
    weeks:
      await db.all(sql`select workspace_id, week, user_key, type, channel_key, campaign_key, n from touch_weeks
      order by workspace_id, week, user_key, type, channel_key, campaign_key`),
    credits: await db.all(
      sql`select lead_id, model, channel, cents from deal_credits order by lead_id, model, channel`,
    ),
    days: await db.all(sql`select ${DAY_COLUMNS} from funnel_days order by workspace_id, day`),
  };
}

export async function recomputedRollups(db: Database) {
  const outbound = sql.join(
    [...OUTBOUND_TOUCHPOINT_TYPES].map((type) => sql`${type}`),
    sql`, `,
  );
  const firstChangeFrom = (rank: number) =>
    sql`(select sc.at from stage_changes sc where sc.lead_id = l.id and sc.to_stage in ${stagesFrom(rank)}
      order by sc.at limit 1)`;
  const qualified = sql`coalesce(${firstChangeFrom(1)}, case when ${stageRank(sql`l.stage`)} >= 1 then l.created_at end)`;
  const lastChangeTo = (stage: string) =>
    sql`(select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = ${stage})`;
  const firstOutbound = sql`(select t.occurred_at from touchpoints t where t.lead_id = l.id and t.type in (${outbound})
    order by t.occurred_at limit 1)`;
  const facts = await db.all(sql`
    select l.id as lead_id, l.workspace_id, l.created_at, ${monthOf(sql`l.created_at`)} as created_month,
      l.owner_id, l.source_channel, l.utm_source, l.utm_campaign, l.stage, l.deal_value,
      case when l.stage in ('won', 'lost') then l.updated_at end as closed_updated_at,
      coalesce((select max(${stageRank(sql`sc.to_stage`)}) from stage_changes sc where sc.lead_id = l.id), -1)
        as change_reach,
      ${firstChangeFrom(1)} as mql_at, ${firstChangeFrom(3)} as opp_at,
      ${lastChangeTo('won')} as won_change_at, ${lastChangeTo('lost')} as lost_change_at,
      ${firstOutbound} as first_outbound_at,
      max(${stageRank(sql`l.stage`)}, coalesce(
        (select max(${stageRank(sql`sc.to_stage`)}) from stage_changes sc where sc.lead_id = l.id), -1)) as reach,
      ${qualified} as qualified_at, ${monthOf(qualified)} as qualified_month,
      case when l.stage in ('won', 'lost') then coalesce(
        (select max(sc.at) from stage_changes sc where sc.lead_id = l.id and sc.to_stage = l.stage),
        l.updated_at) end as closed_at,
      max(0, ${firstOutbound} - l.created_at) as speed_ms
    from leads l order by l.id`);
  // A stay ends at the lead's next later change: the next row in time order, or, when that one is
  // at the same moment, the first one after it.
  const stays = await db.all(sql`
    with changes as (
      select sc.id, sc.lead_id, sc.to_stage, sc.at,
        lead(sc.at) over (partition by sc.lead_id order by sc.at) as next_at
      from stage_changes sc
    )
    select c.id as change_id, c.lead_id, l.workspace_id, c.to_stage as stage, c.at,
      (case
        when c.next_at is null then null
        when c.next_at > c.at then c.next_at
        else (select min(n.at) from stage_changes n where n.lead_id = c.lead_id and n.at > c.at) end) - c.at as ms,
      l.created_at, l.owner_id, l.source_channel, l.utm_campaign
    from changes c join leads l on l.id = c.lead_id
    where c.to_stage in ('new', 'mql', 'sql', 'opportunity')
    order by c.id`);
  const weeks = await db.all(sql`
    select t.workspace_id, ${weekOf(sql`t.occurred_at`)} as week, coalesce(t.user_id, '') as user_key, t.type,
      coalesce(t.channel, l.source_channel) as channel_key, coalesce(l.utm_campaign, '') as campaign_key,
      count(*) as n
    from touchpoints t join leads l on l.id = t.lead_id
    group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`);
  // A lead's day of creation, floored: a time before 1970 belongs to the day before.
  const days = await db.all(sql`
    with reach as (
      select l.workspace_id, cast(floor(l.created_at / cast(${MS_PER_DAY} as real)) as integer) as day,
        max(${stageRank(sql`l.stage`)}, coalesce(
          (select max(${stageRank(sql`sc.to_stage`)}) from stage_changes sc where sc.lead_id = l.id), -1)) as r
      from leads l
    )
    select workspace_id, day, count(*) as n0, sum(r >= 1) as n1, sum(r >= 2) as n2, sum(r >= 3) as n3,
      sum(r >= 4) as n4
    from reach group by workspace_id, day order by workspace_id, day`);
  return { facts, stays, weeks, credits: await creditsFromScratch(db), days };
}

/**
 * deal_credits as the migration fills it: every won deal's split computed again from nothing, in a
 * transaction that is rolled back, so the stored table is left as it was.
 */
async function creditsFromScratch(db: Database) {
  let credits: unknown[] = [];
  const rollBack = new Error('roll back');
  await db
    .transaction(async (tx) => {
      await tx.run(sql`delete from deal_credits`);
      await tx.run(
        sql`insert into deal_credit_refresh (lead_id) select lead_id from lead_facts where stage = 'won'`,
      );
      credits = await tx.all(
        sql`select lead_id, model, channel, cents from deal_credits order by lead_id, model, channel`,
      );
      throw rollBack;
    })
    .catch((error) => {
      if (error !== rollBack) throw error;
    });
  return credits;
}
