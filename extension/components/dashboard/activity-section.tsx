import { labelOf, TOUCHPOINT_LABELS } from '@leadline/shared';
import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartKey } from './chart-setup';
import { DataTable, numberColumn } from './data-table';
import { leadsHref, openLeads } from './drill';
import type { Query } from './filters';
import { formatCount } from './format';
import { Section } from './section';

export function ActivitySection({ query, suffix }: { query: Query; suffix: string }) {
  const chartKey = useChartKey();
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics['rep-activity'].$get({ query })), [api, query]);
  return (
    <Section
      id="activity"
      title="Rep activity"
      state={state}
      onRetry={reload}
      wide
      isEmpty={(activity) => activity.rows.length === 0}
      emptyText="No touchpoints in this range."
    >
      {(activity) => {
        const reps = activity.reps.filter((rep) => rep.userId !== null);
        const weeks = [...new Set(activity.rows.map((row) => row.week))].sort();
        const types = [...new Set(activity.rows.map((row) => row.type))].sort();
        const perWeek = new Map<string, number>();
        const perType = new Map<string, number>();
        for (const row of activity.rows) {
          perWeek.set(
            `${row.userId}\u0000${row.week}`,
            (perWeek.get(`${row.userId}\u0000${row.week}`) ?? 0) + row.touchpoints,
          );
          perType.set(
            `${row.userId}\u0000${row.type}`,
            (perType.get(`${row.userId}\u0000${row.type}`) ?? 0) + row.touchpoints,
          );
        }
        // A rep's row opens the leads they touched in the range; inbound touches have no rep to filter on.
        const repHref = (userId: string | null, type?: string) =>
          userId === null ? null : leadsHref(query, { figure: 'activity', owner: userId, type });
        const pivot = activity.reps.map((rep) => ({
          ...rep,
          name: rep.userId === null ? 'Inbound (no rep)' : rep.name,
          byType: Object.fromEntries(
            types.map((type) => [type, perType.get(`${rep.userId}\u0000${type}`) ?? 0]),
          ),
        }));
        return (
          <>
            <div className="chart chart-tall">
              <Bar
                key={chartKey}
                role="img"
                aria-label="Touchpoints logged per ISO week, stacked by rep"
                data={{
                  labels: weeks,
                  datasets: reps.map((rep, i) => ({
                    label: rep.name,
                    data: weeks.map((week) => perWeek.get(`${rep.userId}\u0000${week}`) ?? 0),
                    backgroundColor: PALETTE[i % PALETTE.length],
                  })),
                }}
                options={{
                  maintainAspectRatio: false,
                  scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
                  onClick: (_event, elements) => {
                    const rep = reps[elements[0]?.datasetIndex ?? -1];
                    const href = rep ? repHref(rep.userId) : null;
                    if (href) openLeads(href);
                  },
                }}
              />
            </div>
            <DataTable<(typeof pivot)[number]>
              caption="Touchpoints by rep and type"
              columns={[
                { label: 'Rep', value: (row) => row.name },
                numberColumn('Total', (row) => row.touchpoints, formatCount),
                ...types.map((type) =>
                  numberColumn(
                    labelOf(TOUCHPOINT_LABELS, type),
                    (row: (typeof pivot)[number]) => row.byType[type] ?? 0,
                    formatCount,
                    undefined,
                    (row: (typeof pivot)[number]) => (row.byType[type] ? repHref(row.userId, type) : null),
                  ),
                ),
              ]}
              rows={pivot}
              rowKey={(row) => row.userId ?? 'none'}
              rowHref={(row) => repHref(row.userId)}
              filename={`rep-activity_${suffix}.csv`}
              testId="activity-table"
            />
          </>
        );
      }}
    </Section>
  );
}
