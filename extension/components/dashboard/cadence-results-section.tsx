import { type CadenceAnalytics, TASK_TYPE_LABELS } from '@leadline/shared';
import { useApi } from '@/components/api-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { DataTable, numberColumn } from './data-table';
import type { Query } from './filters';
import { formatCount, formatPercent } from './format';
import { Section } from './section';

type CadenceRow = CadenceAnalytics['cadences'][number];
type StepRow = CadenceRow['steps'][number] & { cadence: string; cadenceId: string };

const stepLabel = (type: string) =>
  type === 'wait' ? 'Wait' : (TASK_TYPE_LABELS[type as keyof typeof TASK_TYPE_LABELS] ?? type);
const days = (value: number | null | undefined) => (value == null ? '–' : `${value.toFixed(1)} d`);

/**
 * How the cadences do (enrolled in the period's range): running, finished, stopped by a reply or a
 * meeting, reply and meeting rates per step, days to the first reply; and how reps keep up with
 * their tasks. Each table downloads as CSV.
 */
export function CadenceResultsSection({ query, suffix }: { query: Query; suffix: string }) {
  const api = useApi();
  const range = { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
  const [state, reload] = useAsync(
    () => unwrap(api.analytics.cadences.$get({ query: range })),
    [api, range.from, range.to],
  );
  return (
    <Section
      id="cadences-results"
      title="Cadences and tasks"
      state={state}
      onRetry={reload}
      wide
      isEmpty={(data) => data.cadences.length === 0 && data.reps.length === 0}
      emptyText="No cadence enrolment and no task in this range."
    >
      {(data) => {
        const steps: StepRow[] = data.cadences.flatMap((cadence) =>
          cadence.steps.map((step) => ({ ...step, cadence: cadence.name, cadenceId: cadence.cadenceId })),
        );
        return (
          <>
            <DataTable<CadenceRow>
              caption="Enrolments by cadence"
              columns={[
                { label: 'Cadence', value: (row) => row.name },
                numberColumn('Enrolled', (row) => row.enrolled, formatCount),
                numberColumn('Running', (row) => row.active, formatCount),
                numberColumn('Paused', (row) => row.paused, formatCount),
                numberColumn('Finished', (row) => row.finished, formatCount),
                numberColumn('Stopped by reply', (row) => row.stoppedByReply, formatCount),
                numberColumn('Stopped by meeting', (row) => row.stoppedByMeeting, formatCount),
                numberColumn(
                  'Median days to first reply',
                  (row) => row.medianDaysToFirstReply,
                  days,
                  'Median days to first reply',
                ),
              ]}
              rows={data.cadences}
              rowKey={(row) => row.cadenceId}
              filename={`cadences_${suffix}.csv`}
              testId="cadences-table"
            />
            <DataTable<StepRow>
              caption="Reply and meeting rate per step"
              columns={[
                { label: 'Cadence', value: (row) => row.cadence },
                { label: 'Step', value: (row) => `${row.index + 1}. ${stepLabel(row.type)}` },
                numberColumn('Reached', (row) => row.reached, formatCount),
                numberColumn('Replies', (row) => row.replies, formatCount),
                numberColumn('Reply rate', (row) => row.replyRate, formatPercent),
                numberColumn('Meetings', (row) => row.meetings, formatCount),
                numberColumn('Meeting rate', (row) => row.meetingRate, formatPercent),
              ]}
              rows={steps}
              rowKey={(row) => `${row.cadenceId}:${row.index}`}
              filename={`cadence-steps_${suffix}.csv`}
              testId="cadence-steps-table"
            />
            <DataTable<CadenceAnalytics['reps'][number]>
              caption="Task completion by rep"
              columns={[
                { label: 'Rep', value: (row) => row.name },
                numberColumn('Done on time', (row) => row.doneOnTime, formatCount),
                numberColumn('Done late', (row) => row.doneLate, formatCount),
                numberColumn('Skipped', (row) => row.skipped, formatCount),
                numberColumn('Overdue now', (row) => row.overdue, formatCount),
                numberColumn('Open', (row) => row.open, formatCount),
              ]}
              rows={data.reps}
              rowKey={(row) => row.userId}
              filename={`task-completion_${suffix}.csv`}
              testId="task-completion-table"
            />
          </>
        );
      }}
    </Section>
  );
}
