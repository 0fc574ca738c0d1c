import type { RoutingAnalytics } from '@leadline/shared/routing';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { DataTable, numberColumn } from './data-table';
import type { Query } from './filters';
import { formatCount, formatDecimal, formatMinutes } from './format';
import { Section } from './section';

type RepRow = RoutingAnalytics['reps'][number];

const signed = (value: number | null | undefined) =>
  value == null ? '–' : value > 0 ? `+${formatDecimal(value)}` : formatDecimal(value);

/**
 * How routing shares the leads out over the period (managers, admins): per rep, the leads a team's
 * rules gave them against their weighted share, the SLAs they missed, and how soon they touch a lead
 * once it is theirs (median wall-clock minutes). Downloads as CSV.
 */
export function RoutingSection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const range = { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
  const [state, reload] = useAsync(
    () => unwrap(api.analytics.routing.$get({ query: range })),
    [api, range.from, range.to],
  );
  return (
    <Section
      id="routing-results"
      title="Routing by rep"
      state={state}
      onRetry={reload}
      wide
      isEmpty={(data) => data.reps.length === 0}
      emptyText="No lead was assigned in this range, and no team is set up."
    >
      {(data) => (
        <DataTable<RepRow>
          caption="Assignments, share, SLA breaches and time to the first touch, per rep"
          columns={[
            { label: 'Rep', value: (row) => row.name },
            numberColumn('Assigned by team rules', (row) => row.assigned, formatCount),
            numberColumn('Weighted share', (row) => row.share, formatDecimal),
            numberColumn('Over share', (row) => row.overShare, signed),
            numberColumn('All assignments', (row) => row.assignedAny, formatCount),
            numberColumn('SLA breaches', (row) => row.slaBreaches, formatCount),
            numberColumn('Touched', (row) => row.touched, formatCount),
            numberColumn(
              'Median to first touch',
              (row) => row.medianMinutesToFirstTouch,
              formatMinutes,
              'Median minutes to first touch',
            ),
          ]}
          rows={data.reps}
          rowKey={(row) => row.userId}
          filename={`routing_${suffix}.csv`}
          testId="routing-table"
        />
      )}
    </Section>
  );
}
