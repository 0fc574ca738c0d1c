import { Chart } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartKey } from './chart-setup';
import { DataTable, numberColumn } from './data-table';
import { drillOptions, leadsHref } from './drill';
import type { Query } from './filters';
import { formatCount, formatPercent, monthLabel } from './format';
import { Section } from './section';

/** The bar colour at a lower opacity: a partial month's bar. */
const faded = (hex: string) => `${hex}55`;

export function VelocitySection({ query, suffix }: { query: Query; suffix: string }) {
  const chartKey = useChartKey();
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.velocity.$get({ query })), [api, query]);
  return (
    <Section
      id="velocity"
      title="Lead velocity"
      state={state}
      onRetry={reload}
      isEmpty={(velocity) => velocity.months.every((month) => month.qualified === 0)}
      emptyText="No lead qualified in this range."
    >
      {(velocity) => {
        const months = velocity.months;
        const partial = months.filter((month) => month.partial).map((month) => month.month);
        const monthHref = (index: number) =>
          leadsHref(query, { figure: 'velocity', month: months[index]!.month });
        return (
          <>
            <p className="summary" data-testid="velocity-note">
              Leads that qualified (MQL or later) each month, and the change on the month before.
              {partial.length > 0 && (
                <>
                  {' '}
                  <strong>{partial.join(', ')}</strong> {partial.length === 1 ? 'is' : 'are'} partial (not
                  over, or cut by the range): drawn faded, with no change.
                </>
              )}
            </p>
            <div className="chart">
              <Chart
                key={chartKey}
                type="bar"
                role="img"
                aria-label={`Qualified leads per month with the month-over-month growth rate${partial.length ? `; partial: ${partial.join(', ')}` : ''}`}
                data={{
                  labels: months.map((month) => monthLabel(month.month, month.partial)),
                  datasets: [
                    {
                      type: 'bar' as const,
                      label: 'Qualified leads',
                      data: months.map((month) => month.qualified),
                      backgroundColor: months.map((month) =>
                        month.partial ? faded(PALETTE[0]!) : PALETTE[0]!,
                      ),
                      borderColor: PALETTE[0],
                      borderWidth: months.map((month) => (month.partial ? 1 : 0)),
                      yAxisID: 'y',
                    },
                    {
                      type: 'line' as const,
                      label: 'LVR (%)',
                      data: months.map((month) => (month.lvr === null ? null : month.lvr * 100)),
                      borderColor: PALETTE[1],
                      backgroundColor: PALETTE[1],
                      yAxisID: 'rate',
                    },
                  ],
                }}
                options={{
                  maintainAspectRatio: false,
                  scales: {
                    y: { beginAtZero: true, title: { display: true, text: 'Qualified' } },
                    rate: {
                      position: 'right',
                      grid: { drawOnChartArea: false },
                      title: { display: true, text: 'LVR %' },
                    },
                  },
                  ...drillOptions(monthHref),
                }}
              />
            </div>
            <DataTable<(typeof months)[number]>
              caption="Qualified leads per month"
              columns={[
                {
                  label: 'Month',
                  value: (row) => row.month,
                  render: (row) => monthLabel(row.month, row.partial),
                },
                {
                  label: 'Partial month',
                  value: (row) => (row.partial ? 'yes' : 'no'),
                  render: (row) => (row.partial ? 'yes' : ''),
                },
                numberColumn('Qualified', (row) => row.qualified, formatCount),
                numberColumn('LVR', (row) => row.lvr, formatPercent),
              ]}
              rows={months}
              rowKey={(row) => row.month}
              rowHref={(row) => leadsHref(query, { figure: 'velocity', month: row.month })}
              filename={`lead-velocity_${suffix}.csv`}
              testId="velocity-table"
            />
          </>
        );
      }}
    </Section>
  );
}
