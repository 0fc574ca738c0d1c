import type { SOURCE_CHANNELS } from '@leadline/shared';

export interface Filters {
  from: string;
  to: string;
  owner: string;
  channel: string;
  campaign: string;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last twelve months, whole months, up to today; `owner` preset (a rep's own id) or everyone. */
export function defaultFilters(today = new Date(), owner = ''): Filters {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  return { from: isoDay(from), to: isoDay(today), owner, channel: '', campaign: '' };
}

/** Reps see their own figures first; managers and admins the team's. */
export const defaultOwner = (me: { user: { id: string; role: string } }) =>
  me.user.role === 'rep' ? me.user.id : '';

/** The query the API takes: empty filters left out. */
export function toQuery(filters: Filters) {
  const query: {
    from?: string;
    to?: string;
    owner?: string;
    channel?: (typeof SOURCE_CHANNELS)[number];
    campaign?: string;
  } = {};
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.owner) query.owner = filters.owner;
  if (filters.channel) query.channel = filters.channel as (typeof SOURCE_CHANNELS)[number];
  if (filters.campaign.trim()) query.campaign = filters.campaign.trim();
  return query;
}

export const fileSuffix = (filters: Filters) => `${filters.from || 'start'}_${filters.to || 'today'}`;

/** What every section asks the API with. */
export type Query = ReturnType<typeof toQuery>;
