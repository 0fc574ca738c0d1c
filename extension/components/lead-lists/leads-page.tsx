import { type AnalyticsLead, CHANNEL_LABELS, labelOf, STAGE_LABELS } from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { useUsers } from '@/hooks/use-users';
import { unwrap } from '@/utils/api';
import { type CsvColumn, downloadCsv, toCsv } from '../dashboard/csv';
import { type Column, DataTable } from '../dashboard/data-table';
import { formatCount, formatMoney } from '../dashboard/format';
import { EnrolAll } from './enrol-all';
import { describeFigure, describeFilters, type FigureQuery } from './figure-query';

const PAGE = '100';

const columns = (withTouchpoints: boolean): Column<AnalyticsLead>[] => [
  { label: 'Name', value: (lead) => lead.fullName, render: (lead) => lead.fullName ?? '(no name)' },
  { label: 'Company', value: (lead) => lead.company, render: (lead) => lead.company ?? '–' },
  { label: 'Title', value: (lead) => lead.title, render: (lead) => lead.title ?? '–' },
  { label: 'Email', value: (lead) => lead.email, render: (lead) => lead.email ?? '–' },
  { label: 'Stage', value: (lead) => STAGE_LABELS[lead.stage] },
  { label: 'Owner', value: (lead) => lead.ownerName, render: (lead) => lead.ownerName ?? '–' },
  { label: 'Channel', value: (lead) => labelOf(CHANNEL_LABELS, lead.sourceChannel) },
  { label: 'UTM campaign', value: (lead) => lead.utmCampaign, render: (lead) => lead.utmCampaign ?? '–' },
  {
    label: 'Deal value',
    value: (lead) => lead.dealValue,
    render: (lead) => formatMoney(lead.dealValue),
    numeric: true,
  },
  { label: 'Created', value: (lead) => lead.createdAt, render: (lead) => lead.createdAt.slice(0, 10) },
  ...(withTouchpoints
    ? [
        {
          label: 'Touchpoints',
          value: (lead: AnalyticsLead) => lead.touchpoints,
          render: (lead: AnalyticsLead) => formatCount(lead.touchpoints),
          numeric: true,
        },
      ]
    : []),
];

/** The leads behind one dashboard figure: its definition in words, the list a page at a time, CSV. */
export function LeadsPage({ query }: { query: FigureQuery }) {
  const api = useApi();
  const users = useUsers();
  const ownerName = (id: string) => users.get(id) ?? 'one rep';
  const [more, setMore] = useState<{ items: AnalyticsLead[]; nextCursor: string | null } | null>(null);
  const [exporting, setExporting] = useState<Error | 'running' | null>(null);
  const [state, reload] = useAsync(
    () => unwrap(api.analytics.leads.$get({ query: { ...query, limit: PAGE } })),
    [api, query],
  );
  const title = describeFigure(query, ownerName);
  const filters = describeFilters(query, ownerName);
  const withTouchpoints = query.figure === 'activity';
  const items = [...(state.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (state.data?.nextCursor ?? null);

  async function loadMore() {
    if (!nextCursor) return;
    const page = await unwrap(
      api.analytics.leads.$get({ query: { ...query, limit: PAGE, cursor: nextCursor } }),
    );
    setMore((previous) => ({
      items: [...(previous?.items ?? []), ...page.items],
      nextCursor: page.nextCursor,
    }));
  }

  /** Every lead of the figure, not only the pages on screen. */
  async function exportCsv() {
    setExporting('running');
    try {
      const all: AnalyticsLead[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(api.analytics.leads.$get({ query: { ...query, limit: '500', cursor } }));
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const csvColumns: CsvColumn<AnalyticsLead>[] = [
        { label: 'Lead id', value: (lead) => lead.id },
        ...columns(withTouchpoints),
      ];
      const name = `leads_${query.figure}_${query.from ?? 'start'}_${query.to ?? 'today'}.csv`;
      downloadCsv(name, toCsv(csvColumns, all));
      setExporting(null);
    } catch (error) {
      setExporting(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return (
    <main className="dashboard">
      <header className="page-header">
        <p className="muted">Leadline · the leads behind a dashboard figure</p>
        <h1>{title}</h1>
        {filters && <p className="muted">{filters}</p>}
      </header>
      <section
        className="card card-wide"
        aria-labelledby="leads-heading"
        aria-busy={state.status === 'loading'}
      >
        <header className="card-header">
          <h2 id="leads-heading" data-testid="leads-total">
            {state.data
              ? `${formatCount(state.data.total)} ${state.data.total === 1 ? 'lead' : 'leads'}`
              : 'Leads'}
            {state.data?.touchpoints != null && `, ${formatCount(state.data.touchpoints)} touchpoints`}
          </h2>
          <button
            type="button"
            className="button"
            onClick={() => void exportCsv()}
            disabled={!state.data || state.data.total === 0 || exporting === 'running'}
          >
            {exporting === 'running' ? 'Exporting…' : 'Export CSV'}
          </button>
        </header>
        {exporting instanceof Error && <ErrorNotice error={exporting} onRetry={() => void exportCsv()} />}
        {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
        {state.data === undefined && state.status === 'loading' && (
          <div className="skeleton" role="status">
            Loading the leads…
          </div>
        )}
        {state.data && state.data.total === 0 && (
          <p className="empty" role="status">
            No lead stands behind this figure.
          </p>
        )}
        {state.data && state.data.total > 0 && <EnrolAll query={query} total={state.data.total} />}
        {state.data && state.data.total > 0 && (
          <DataTable
            caption={`${formatCount(items.length)} of ${formatCount(state.data.total)} shown, newest first`}
            columns={columns(withTouchpoints)}
            rows={items}
            rowKey={(lead) => lead.id}
            testId="leads-table"
          />
        )}
        {nextCursor && (
          <button type="button" className="button button-quiet" onClick={() => void loadMore()}>
            Load more
          </button>
        )}
      </section>
    </main>
  );
}
