import { FUNNEL_STAGES, type Funnel, type FunnelStage, STAGE_LABELS } from '@leadline/shared';
import { Bar } from 'react-chartjs-2';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { PALETTE, useChartKey } from './chart-setup';
import { type Column, DataTable, numberColumn } from './data-table';
import { drillOptions, leadsHref } from './drill';
import type { Query } from './filters';
import { formatCount, formatHours, formatPercent, monthLabel } from './format';
import { Section } from './section';

/** The funnel's "won" is a cohort's: said so wherever it appears, beside the cards' won by close date. */
const stageLabel = (stage: FunnelStage) => (stage === 'won' ? 'Won (of leads created)' : STAGE_LABELS[stage]);

export function FunnelSection({ query, suffix }: { query: Query; suffix: string }) {
  const chartKey = useChartKey();
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.analytics.funnel.$get({ query })), [api, query]);
  const stepHref = (stage: FunnelStage) => leadsHref(query, { figure: 'funnel', stage });
  const steps: Column<Funnel['steps'][number]>[] = [
    { label: 'Stage', value: (row) => stageLabel(row.stage) },
    numberColumn(
      'Reached',
      (row) => row.reached,
      formatCount,
      undefined,
      (row) => stepHref(row.stage),
    ),
    numberColumn('From previous', (row) => row.stepRate, formatPercent),
    numberColumn('From new', (row) => row.overallRate, formatPercent),
    numberColumn(
      'Median time in stage',
      (row) => row.medianHoursInStage,
      formatHours,
      'Median hours in stage',
    ),
  ];
  type Cohort = Funnel['cohorts'][number];
  const cohortColumns: Column<Cohort>[] = [
    { label: 'Created in', value: (row) => row.month, render: (row) => monthLabel(row.month, row.partial) },
    {
      label: 'Partial month',
      value: (row) => (row.partial ? 'yes' : 'no'),
      render: (row) => (row.partial ? 'yes' : ''),
    },
    ...FUNNEL_STAGES.map((stage) =>
      numberColumn(
        STAGE_LABELS[stage],
        (row: Cohort) => row.reached[stage],
        formatCount,
        undefined,
        (row: Cohort) => leadsHref(query, { figure: 'funnel', stage, month: row.month }),
      ),
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
          <p className="summary">
            Leads <strong>created in the period</strong> by the furthest stage they reached. Its “won” is
            those of them that reached won, so it differs from the deals won in the period (by close date)
            above. Click a bar for its leads.
          </p>
          <div className="chart">
            <Bar
              key={chartKey}
              role="img"
              data-testid="funnel-chart"
              aria-label={`Funnel: ${funnel.steps.map((s) => `${stageLabel(s.stage)} ${s.reached}`).join(', ')}`}
              data={{
                labels: funnel.steps.map((step) => stageLabel(step.stage)),
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
                // A click anywhere on a stage's row opens it, not only on the bar (short bars are small).
                interaction: { mode: 'index', axis: 'y', intersect: false },
                plugins: { legend: { display: false } },
                ...drillOptions((index) => stepHref(funnel.steps[index]!.stage)),
              }}
            />
          </div>
          <DataTable
            caption="Funnel by stage"
            columns={steps}
            rows={funnel.steps}
            rowKey={(row) => row.stage}
            rowHref={(row) => stepHref(row.stage)}
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
              rowHref={(row) => leadsHref(query, { figure: 'funnel', month: row.month })}
              filename={`funnel-cohorts_${suffix}.csv`}
              testId="cohorts-table"
            />
          </details>
        </>
      )}
    </Section>
  );
}
