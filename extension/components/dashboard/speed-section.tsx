import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartKey } from './chart-setup';
import { DataTable, numberColumn } from './data-table';
import { drillOptions, leadsHref } from './drill';
import type { Query } from './filters';
import { formatCount, formatMinutes, formatPercent } from './format';
import { Section } from './section';

export function SpeedSection({ query, suffix }: { query: Query; suffix: string }) {
  const chartKey = useChartKey();
  const api = useApi();
  const [state, reload] = useAsync(
    () => unwrap(api.analytics['speed-to-lead'].$get({ query })),
    [api, query],
  );
  return (
    <Section
      id="speed"
      title="Speed to lead"
      state={state}
      onRetry={reload}
      isEmpty={(speed) => speed.leads === 0}
      emptyText="No leads were created in this range."
    >
      {(speed) => {
        const bucketHref = (index: number) => leadsHref(query, { figure: 'speed', bucket: index });
        const label = (text: string) => (text === 'untouched' ? 'Untouched' : text);
        return (
          <>
            <p className="summary">
              Median <strong>{formatMinutes(speed.medianMinutes)}</strong>, 90th percentile{' '}
              <strong>{formatMinutes(speed.p90Minutes)}</strong>; within 5 min {formatPercent(speed.within5m)}
              , 1 h {formatPercent(speed.within1h)}, 24 h {formatPercent(speed.within24h)}.
            </p>
            <div className="chart">
              <Bar
                key={chartKey}
                role="img"
                aria-label={`Leads by time to first outbound touch: ${speed.buckets.map((b) => `${label(b.label)} ${b.leads}`).join(', ')}`}
                data={{
                  labels: speed.buckets.map((bucket) => label(bucket.label)),
                  datasets: [
                    {
                      label: 'Leads',
                      data: speed.buckets.map((bucket) => bucket.leads),
                      backgroundColor: speed.buckets.map((bucket) =>
                        bucket.minMinutes === null
                          ? PALETTE[8]!
                          : (bucket.maxMinutes ?? Infinity) <= 60
                            ? PALETTE[2]!
                            : PALETTE[1]!,
                      ),
                    },
                  ],
                }}
                options={{
                  maintainAspectRatio: false,
                  plugins: { legend: { display: false } },
                  ...drillOptions(bucketHref),
                }}
              />
            </div>
            <DataTable<(typeof speed.buckets)[number]>
              caption="Time from creation to first outbound touch"
              columns={[
                { label: 'Time to first touch', value: (row) => label(row.label) },
                numberColumn('Leads', (row) => row.leads, formatCount),
                numberColumn('Share', (row) => (speed.leads ? row.leads / speed.leads : null), formatPercent),
              ]}
              rows={speed.buckets}
              rowKey={(row) => row.label}
              rowHref={(row) => bucketHref(speed.buckets.indexOf(row))}
              filename={`speed-to-lead_${suffix}.csv`}
              testId="speed-table"
            />
          </>
        );
      }}
    </Section>
  );
}
