import {
  ANALYTICS_FIGURES,
  type AnalyticsFigure,
  CHANNEL_LABELS,
  type FunnelStage,
  labelOf,
  SPEED_BUCKETS,
  STAGE_LABELS,
  TOUCHPOINT_LABELS,
} from '@leadline/shared';
import type { ApiClient } from '@/utils/api';

/** What `GET /api/analytics/leads` takes, as the typed client wants it. */
export type FigureQuery = NonNullable<Parameters<ApiClient['analytics']['leads']['$get']>[0]>['query'];

const KEYS = [
  'figure',
  'from',
  'to',
  'owner',
  'channel',
  'campaign',
  'stage',
  'month',
  'bucket',
  'measure',
  'utmSource',
  'utmCampaign',
  'type',
] as const;

/** The figure and filters the dashboard put in the page's URL; null when it names no figure. */
export function figureQueryFrom(search: string): FigureQuery | null {
  const params = new URLSearchParams(search);
  const figure = params.get('figure');
  if (!figure || !(ANALYTICS_FIGURES as readonly string[]).includes(figure)) return null;
  const query: Record<string, string> = {};
  for (const key of KEYS) {
    const value = params.get(key);
    // UTM tags may be '' (a row without them); every other empty value means "no filter".
    if (value !== null && (value !== '' || key === 'utmSource' || key === 'utmCampaign')) query[key] = value;
  }
  return query as FigureQuery;
}

const range = (q: FigureQuery) =>
  q.from && q.to
    ? `${q.from} – ${q.to}`
    : q.from
      ? `since ${q.from}`
      : q.to
        ? `up to ${q.to}`
        : 'at any time';

const stage = (value: string | undefined) => STAGE_LABELS[(value ?? 'new') as FunnelStage] ?? value;

/** The figure in words: which leads these are, by the figure's own definition (docs/analytics.md). */
export function describeFigure(q: FigureQuery, ownerName: (id: string) => string): string {
  const figure = q.figure as AnalyticsFigure;
  switch (figure) {
    case 'funnel':
      return `Leads created ${q.month ? `in ${q.month}` : range(q)} that reached ${stage(q.stage)}`;
    case 'velocity':
      return `Leads that qualified (MQL or later) ${q.month ? `in ${q.month}` : range(q)}`;
    case 'speed': {
      const index = q.bucket === undefined ? null : Number(q.bucket);
      const bucket =
        index === null
          ? ''
          : index < SPEED_BUCKETS.length
            ? `, first outbound touch within ${SPEED_BUCKETS[index]!.label}`
            : ', with no outbound touch yet';
      return `Leads created ${range(q)}${bucket}`;
    }
    case 'sources': {
      const measure = {
        leads: '',
        mqls: ' that reached MQL',
        sqls: ' that reached SQL',
        won: ' that are won now',
      }[q.measure ?? 'leads'];
      const tags = [
        q.utmSource !== undefined ? `UTM source ${q.utmSource || '(none)'}` : '',
        q.utmCampaign !== undefined ? `UTM campaign ${q.utmCampaign || '(none)'}` : '',
      ].filter(Boolean);
      return `Leads created ${range(q)}${tags.length ? ` with ${tags.join(' and ')}` : ''}${measure}`;
    }
    case 'won':
      return `Deals won ${range(q)} (by close date)`;
    case 'lost':
      return `Deals lost ${range(q)} (by close date)`;
    case 'pipeline':
      return `Open leads now${q.stage ? ` at ${stage(q.stage)}` : ''} (the pipeline has no date range)`;
    case 'activity':
      return `Leads ${q.owner ? ownerName(q.owner) : 'the team'} touched ${range(q)}${q.type ? ` (${labelOf(TOUCHPOINT_LABELS, q.type)})` : ''}`;
  }
}

/** The filters beside the figure, in words ("Owner: Ana · Channel: LinkedIn"). */
export function describeFilters(q: FigureQuery, ownerName: (id: string) => string): string {
  const parts: string[] = [];
  if (q.owner && q.figure !== 'activity') parts.push(`Owner: ${ownerName(q.owner)}`);
  if (q.channel) parts.push(`Channel: ${labelOf(CHANNEL_LABELS, q.channel)}`);
  if (q.campaign) parts.push(`Campaign: ${q.campaign}`);
  return parts.join(' · ');
}
