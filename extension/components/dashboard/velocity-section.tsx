import { Chart } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE } from './chart-setup';
import { DataTable, numberColumn } from './data-table';
import type { Query } from './filters';
import { formatCount, formatPercent } from './format';
import { Section } from './section';

export function VelocitySection({ query, suffix }: { query: Query; suffix: string }) {
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
      {(velocity) => (
        <>
          <div className="chart">
            <Chart
              type="bar"
              role="img"
              aria-label="Qualified leads per month with the month-over-month growth rate"
              data={{
                labels: velocity.months.map((month) => month.month),
                datasets: [
                  {
                    type: 'bar' as const,
                    label: 'Qualified leads',
                    data: velocity.months.map((month) => month.qualified),
                    backgroundColor: PALETTE[0],
                    yAxisID: 'y',
                  },
                  {
                    type: 'line' as const,
                    label: 'LVR (%)',
                    data: velocity.months.map((month) => (month.lvr === null ? null : month.lvr * 100)),
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
              }}
            />
          </div>
          <DataTable<(typeof velocity.months)[number]>
            caption="Qualified leads per month"
            columns={[
              { label: 'Month', value: (row) => row.month },
              numberColumn('Qualified', (row) => row.qualified, formatCount),
              numberColumn('LVR', (row) => row.lvr, formatPercent),
            ]}
            rows={velocity.months}
            rowKey={(row) => row.month}
            filename={`lead-velocity_${suffix}.csv`}
          />
        </>
      )}
    </Section>
  );
}
