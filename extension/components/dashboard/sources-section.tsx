import { CHANNEL_LABELS, labelOf, type SourceMeasure, type Sources } from '@leadline/shared';
import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartKey } from './chart-setup';
import { type Column, DataTable, numberColumn } from './data-table';
import { type Drill, drillOptions, leadsHref } from './drill';
import type { Query } from './filters';
import { formatCount, formatMoney, formatPercent } from './format';
import { Section } from './section';

type SourceRow = Sources['channels'][number];
type CampaignRow = Sources['campaigns'][number];
const channelLabel = (channel: string) => (channel === 'Total' ? channel : labelOf(CHANNEL_LABELS, channel));

/** The figures of a row; `href` opens the leads behind a count (costs have none). */
const sourceFigures = <Row extends Omit<SourceRow, 'channel'>>(
  href: (row: Row, measure: SourceMeasure) => string | null,
): Column<Row>[] => [
  numberColumn(
    'Leads',
    (row) => row.leads,
    formatCount,
    undefined,
    (row) => href(row, 'leads'),
  ),
  numberColumn(
    'MQLs',
    (row) => row.mqls,
    formatCount,
    undefined,
    (row) => href(row, 'mqls'),
  ),
  numberColumn(
    'SQLs',
    (row) => row.sqls,
    formatCount,
    undefined,
    (row) => href(row, 'sqls'),
  ),
  // Won now, of the leads created in the period: not the cards' deals won in the period.
  numberColumn(
    'Won now',
    (row) => row.won,
    formatCount,
    undefined,
    (row) => href(row, 'won'),
  ),
  numberColumn('Won value', (row) => row.wonValue, formatMoney),
  numberColumn('Cost', (row) => row.cost, formatMoney),
  numberColumn('Cost per lead', (row) => row.costPerLead, formatMoney),
  numberColumn('Cost per SQL', (row) => row.costPerSql, formatMoney),
  numberColumn('ROI', (row) => row.roi, formatPercent),
];

export function SourcesSection({ query, suffix }: { query: Query; suffix: string }) {
  const chartKey = useChartKey();
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.sources.$get({ query })), [api, query]);
  const href = (drill: Omit<Drill, 'figure'>) => leadsHref(query, { figure: 'sources', ...drill });
  const channelHref = (row: SourceRow, measure: SourceMeasure = 'leads') =>
    href(row.channel === 'Total' ? { measure } : { channel: row.channel, measure });
  const campaignHref = (row: CampaignRow, measure: SourceMeasure = 'leads') =>
    href({ channel: row.channel, utmSource: row.utmSource, utmCampaign: row.utmCampaign, measure });
  return (
    <Section
      id="sources"
      title="Sources and ROI"
      state={state}
      onRetry={reload}
      wide
      isEmpty={(sources) => sources.channels.length === 0}
      emptyText="No leads or costs in this range."
    >
      {(sources) => (
        <>
          <p className="summary">
            Leads created in the period by where they came from. “Won now” is those of them won today,
            whenever they closed.
          </p>
          <div className="chart">
            <Bar
              key={chartKey}
              role="img"
              aria-label="Won value and cost per channel"
              data={{
                labels: sources.channels.map((row) => channelLabel(row.channel)),
                datasets: [
                  {
                    label: 'Won value',
                    data: sources.channels.map((row) => row.wonValue),
                    backgroundColor: PALETTE[2],
                  },
                  {
                    label: 'Cost',
                    data: sources.channels.map((row) => row.cost ?? 0),
                    backgroundColor: PALETTE[3],
                  },
                ],
              }}
              options={{
                maintainAspectRatio: false,
                ...drillOptions((index) => channelHref(sources.channels[index]!, 'won')),
              }}
            />
          </div>
          <DataTable
            caption="By channel"
            columns={[
              { label: 'Channel', value: (row: SourceRow) => channelLabel(row.channel) },
              ...sourceFigures<SourceRow>(channelHref),
            ]}
            rows={[...sources.channels, { channel: 'Total', ...sources.total }]}
            rowKey={(row) => row.channel}
            rowHref={(row) => channelHref(row)}
            filename={`sources-by-channel_${suffix}.csv`}
            testId="sources-table"
          />
          <details>
            <summary>By UTM source and campaign</summary>
            <DataTable
              caption="By UTM campaign, channel and UTM source"
              columns={[
                {
                  label: 'UTM campaign',
                  value: (row: CampaignRow) => row.utmCampaign,
                  render: (row) => row.utmCampaign ?? '(none)',
                },
                { label: 'Channel', value: (row) => channelLabel(row.channel) },
                { label: 'UTM source', value: (row) => row.utmSource, render: (row) => row.utmSource ?? '–' },
                ...sourceFigures<CampaignRow>(campaignHref),
              ]}
              rows={sources.campaigns}
              rowKey={(row) => `${row.channel}\u0000${row.utmSource}\u0000${row.utmCampaign}`}
              rowHref={(row) => campaignHref(row)}
              filename={`sources-by-campaign_${suffix}.csv`}
              testId="campaigns-table"
            />
          </details>
        </>
      )}
    </Section>
  );
}
