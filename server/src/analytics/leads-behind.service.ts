import {
  type AnalyticsLeadList,
  type AnalyticsLeadsQuery,
  FUNNEL_STAGES,
  type LeadStage,
  SPEED_BUCKETS,
} from '@leadline/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { decodeCursor, encodeCursor, timeCursorSchema } from '../leads/cursor';
import { inRange, rollupFilter, type Scope } from './analytics.sql';
import { MINUTE_MS } from './figures';

type Figure = Omit<
  AnalyticsLeadsQuery,
  'from' | 'to' | 'owner' | 'channel' | 'campaign' | 'limit' | 'cursor'
>;

/**
 * The ids (and, for activity, touchpoint counts `n`) of the leads behind one figure, as a `behind`
 * CTE. Each branch asks the rollup table its figure reads (analytics.service.ts, sources.service.ts)
 * with the figure's own conditions, so the list and the figure cannot disagree;
 * drilldown.property.test.ts checks that they do not.
 */
function behind(scope: Scope, figure: Figure): SQL {
  const facts = (...conditions: SQL[]) =>
    sql`behind as (select f.lead_id as id, null as n from lead_facts f
      where ${sql.join([rollupFilter(scope, 'f'), ...conditions], sql` and `)})`;
  const created = inRange(sql`f.created_at`, scope);
  switch (figure.figure) {
    case 'funnel': {
      const rank = FUNNEL_STAGES.indexOf(figure.stage ?? 'new');
      const cohort = figure.month ? sql`f.created_month = ${figure.month}` : sql`1`;
      return facts(created, sql`f.reach >= ${rank}`, cohort);
    }
    case 'sources': {
      const measure = figure.measure ?? 'leads';
      const parts = [
        created,
        measure === 'won'
          ? sql`f.stage = 'won'`
          : sql`f.reach >= ${['leads', 'mqls', 'sqls'].indexOf(measure)}`,
      ];
      if (figure.utmSource !== undefined) parts.push(sql`coalesce(f.utm_source, '') = ${figure.utmSource}`);
      if (figure.utmCampaign !== undefined)
        parts.push(sql`coalesce(f.utm_campaign, '') = ${figure.utmCampaign}`);
      return facts(...parts);
    }
    case 'velocity': {
      const month = figure.month ? sql`f.qualified_month = ${figure.month}` : sql`1`;
      return facts(sql`f.qualified_at is not null`, inRange(sql`f.qualified_at`, scope), month);
    }
    case 'speed': {
      const bucket = figure.bucket === undefined ? undefined : SPEED_BUCKETS[figure.bucket];
      let where = sql`1`;
      if (figure.bucket !== undefined && !bucket) where = sql`f.speed_ms is null`;
      else if (bucket) {
        where = sql`f.speed_ms >= ${bucket.min * MINUTE_MS}${bucket.max === null ? sql`` : sql` and f.speed_ms < ${bucket.max * MINUTE_MS}`}`;
      }
      return facts(created, where);
    }
    case 'won':
    case 'lost':
      return facts(sql`f.stage = ${figure.figure}`, inRange(sql`f.closed_at`, scope));
    case 'pipeline': {
      const stages = figure.stage ? sql`(${figure.stage})` : sql`('new', 'mql', 'sql', 'opportunity')`;
      return facts(sql`f.stage in ${stages}`);
    }
    case 'activity': {
      // As repActivity: `owner` is the rep who logged the touch, `channel` the touch's channel.
      const filters = [sql`t.workspace_id = ${scope.workspaceId}`, inRange(sql`t.occurred_at`, scope)];
      if (scope.owner) filters.push(sql`t.user_id = ${scope.owner}`);
      if (scope.channel) filters.push(sql`coalesce(t.channel, l.source_channel) = ${scope.channel}`);
      if (scope.campaign) filters.push(sql`l.utm_campaign = ${scope.campaign}`);
      if (figure.type) filters.push(sql`t.type = ${figure.type}`);
      return sql`behind as (
        select t.lead_id as id, count(*) as n from touchpoints t join lead_facts l on l.lead_id = t.lead_id
        where ${sql.join(filters, sql` and `)} group by t.lead_id)`;
    }
  }
}

/** The leads behind one dashboard figure, a page at a time, with how many there are in all. */
export async function leadsBehind(
  db: Executor,
  scope: Scope,
  figure: Figure,
  page: { limit: number; cursor?: string },
): Promise<AnalyticsLeadList> {
  const cte = behind(scope, figure);
  // Newest first; the cursor is the last row's creation time and id.
  const after = page.cursor ? decodeCursor(page.cursor, timeCursorSchema, 'these leads') : null;
  const [totals] = await db.all<{ total: number; touchpoints: number | null }>(
    sql`with ${cte} select count(*) as total, sum(n) as touchpoints from behind`,
  );
  const rows = await db.all<{
    id: string;
    fullName: string | null;
    title: string | null;
    company: string | null;
    email: string | null;
    stage: LeadStage;
    sourceChannel: string;
    utmSource: string | null;
    utmCampaign: string | null;
    ownerId: string | null;
    ownerName: string | null;
    dealValue: number | null;
    createdAt: number;
    n: number | null;
  }>(sql`
    with ${cte}
    select l.id, l.full_name as fullName, l.title, l.company, l.email, l.stage,
      l.source_channel as sourceChannel, l.utm_source as utmSource, l.utm_campaign as utmCampaign,
      l.owner_id as ownerId, u.name as ownerName, l.deal_value as dealValue, l.created_at as createdAt, b.n
    from behind b join leads l on l.id = b.id left join users u on u.id = l.owner_id
    where ${after ? sql`(l.created_at < ${after.k} or (l.created_at = ${after.k} and l.id < ${after.id}))` : sql`1`}
    order by l.created_at desc, l.id desc
    limit ${page.limit + 1}`);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit).map(({ n, createdAt, ...row }) => ({
    ...row,
    createdAt: new Date(createdAt).toISOString(),
    touchpoints: figure.figure === 'activity' ? (n ?? 0) : null,
  }));
  const last = items[items.length - 1];
  return {
    total: totals?.total ?? 0,
    touchpoints: figure.figure === 'activity' ? (totals?.touchpoints ?? 0) : null,
    items,
    nextCursor: more && last ? encodeCursor({ k: Date.parse(last.createdAt), id: last.id }) : null,
  };
}
