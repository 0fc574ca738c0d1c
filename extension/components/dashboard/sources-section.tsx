import type { Sources } from '@leadline/shared';
import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE } from './chart-setup';
import { type Column, DataTable, numberColumn } from './data-table';
import type { Query } from './filters';
import { formatCount, formatMoney, formatPercent } from './format';
import { Section } from './section';

type SourceRow = Sources['channels'][number];
const sourceFigures = <Row extends Omit<SourceRow, 'channel'>>(): Column<Row>[] => [
  numberColumn('Leads', (row) => row.leads, formatCount),
  numberColumn('MQLs', (row) => row.mqls, formatCount),
  numberColumn('SQLs', (row) => row.sqls, formatCount),
  numberColumn('Won', (row) => row.won, formatCount),
  numberColumn('Won value', (row) => row.wonValue, formatMoney),
  numberColumn('Cost', (row) => row.cost, formatMoney),
  numberColumn('Cost per lead', (row) => row.costPerLead, formatMoney),
  numberColumn('Cost per SQL', (row) => row.costPerSql, formatMoney),
  numberColumn('ROI', (row) => row.roi, formatPercent),
];

export function SourcesSection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.sources.$get({ query })), [api, query]);
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
          <div className="chart">
            <Bar
              role="img"
              aria-label="Won value and cost per channel"
              data={{
                labels: sources.channels.map((row) => row.channel),
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
              options={{ maintainAspectRatio: false }}
            />
          </div>
          <DataTable
            caption="By channel"
            columns={[
              { label: 'Channel', value: (row: SourceRow) => row.channel },
              ...sourceFigures<SourceRow>(),
            ]}
            rows={[...sources.channels, { channel: 'Total', ...sources.total }]}
            rowKey={(row) => row.channel}
            filename={`sources-by-channel_${suffix}.csv`}
            testId="sources-table"
          />
          <details>
            <summary>By UTM source and campaign</summary>
            <DataTable
              caption="By channel, UTM source and campaign"
              columns={[
                { label: 'Channel', value: (row: Sources['campaigns'][number]) => row.channel },
                { label: 'UTM source', value: (row) => row.utmSource, render: (row) => row.utmSource ?? '–' },
                {
                  label: 'UTM campaign',
                  value: (row) => row.utmCampaign,
                  render: (row) => row.utmCampaign ?? '–',
                },
                ...sourceFigures<Sources['campaigns'][number]>(),
              ]}
              rows={sources.campaigns}
              rowKey={(row) => `${row.channel}\u0000${row.utmSource}\u0000${row.utmCampaign}`}
              filename={`sources-by-campaign_${suffix}.csv`}
            />
          </details>
        </>
      )}
    </Section>
  );
}
