import type { Funnel } from '@leadline/shared';
import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE } from './chart-setup';
import { type Column, DataTable, numberColumn } from './data-table';
import type { Query } from './filters';
import { formatCount, formatHours, formatPercent } from './format';
import { Section } from './section';

const STAGE_LABELS: Record<string, string> = {
  new: 'New',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  won: 'Won',
};

export function FunnelSection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.funnel.$get({ query })), [api, query]);
  const steps: Column<Funnel['steps'][number]>[] = [
    { label: 'Stage', value: (row) => STAGE_LABELS[row.stage] },
    numberColumn('Reached', (row) => row.reached, formatCount),
    numberColumn('From previous', (row) => row.stepRate, formatPercent),
    numberColumn('From new', (row) => row.overallRate, formatPercent),
    numberColumn(
      'Median time in stage',
      (row) => row.medianHoursInStage,
      formatHours,
      'Median hours in stage',
    ),
  ];
  const cohortColumns: Column<Funnel['cohorts'][number]>[] = [
    { label: 'Created in', value: (row) => row.month },
    ...(['new', 'mql', 'sql', 'opportunity', 'won'] as const).map((stage) =>
      numberColumn(STAGE_LABELS[stage]!, (row: Funnel['cohorts'][number]) => row.reached[stage], formatCount),
    ),
  ];
  return (
    <Section
      id="funnel"
      title="Funnel"
      state={state}
      onRetry={reload}
      isEmpty={(funnel) => funnel.steps[0]!.reached === 0}
      emptyText="No leads were created in this range."
    >
      {(funnel) => (
        <>
          <div className="chart">
            <Bar
              role="img"
              aria-label={`Funnel: ${funnel.steps.map((s) => `${STAGE_LABELS[s.stage]} ${s.reached}`).join(', ')}`}
              data={{
                labels: funnel.steps.map((step) => STAGE_LABELS[step.stage]),
                datasets: [
                  {
                    label: 'Leads reached',
                    data: funnel.steps.map((step) => step.reached),
                    backgroundColor: PALETTE.slice(0, 5),
                  },
                ],
              }}
              options={{
                indexAxis: 'y',
                maintainAspectRatio: false,
                plugins: { legend: { display: false } },
              }}
            />
          </div>
          <DataTable
            caption="Funnel by stage"
            columns={steps}
            rows={funnel.steps}
            rowKey={(row) => row.stage}
            filename={`funnel_${suffix}.csv`}
            testId="funnel-table"
          />
          <details>
            <summary>By creation month</summary>
            <DataTable
              caption="Funnel by the month leads were created"
              columns={cohortColumns}
              rows={funnel.cohorts}
              rowKey={(row) => row.month}
              filename={`funnel-cohorts_${suffix}.csv`}
            />
          </details>
        </>
      )}
    </Section>
  );
}
