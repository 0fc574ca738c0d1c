import type { AnalyticsFigure, SourceMeasure } from '@leadline/shared';
import type { ActiveElement, ChartEvent } from 'chart.js';
import type { Query } from './filters';

/** Which bar or row of a figure: the parameters `GET /api/analytics/leads` takes beside the filters. */
export interface Drill {
  figure: AnalyticsFigure;
  stage?: string;
  month?: string;
  bucket?: number;
  measure?: SourceMeasure;
  /** A campaign row's UTM tags; null is "none" ('' on the wire). */
  utmSource?: string | null;
  utmCampaign?: string | null;
  type?: string;
  /** Overrides of the page's filters (a channel row, a rep's row). */
  channel?: string;
  owner?: string;
}

/** The lead list page for one figure's bar or row, carrying the dashboard's filters in its URL. */
export function leadsHref(query: Query, drill: Drill): string {
  const params = new URLSearchParams();
  const all: Record<string, string | number | null | undefined> = { ...query, ...drill };
  for (const [key, value] of Object.entries(all)) {
    if (value === undefined) continue;
    params.set(key, value === null ? '' : String(value));
  }
  return `/leads.html?${params}`;
}

export function openLeads(href: string, win: Window = window) {
  win.open(href, '_blank', 'noopener');
}

/**
 * Chart options that open the leads behind the clicked bar (`hrefOf` its index; null for none) and
 * show a pointer over bars that open something.
 */
export function drillOptions(hrefOf: (index: number) => string | null) {
  return {
    onClick: (_event: ChartEvent, elements: ActiveElement[]) => {
      const index = elements[0]?.index;
      const href = index === undefined ? null : hrefOf(index);
      if (href) openLeads(href);
    },
    onHover: (event: ChartEvent, elements: ActiveElement[]) => {
      const target = event.native?.target;
      if (target instanceof HTMLElement) {
        const index = elements[0]?.index;
        target.style.cursor = index !== undefined && hrefOf(index) ? 'pointer' : 'default';
      }
    },
  };
}
