import { TASK_TYPE_LABELS, TASK_TYPES, type TaskType } from '@leadline/shared';
import { useId, useState } from 'react';
import type { LeadEnrolments } from '@/hooks/use-enrolments';
import type { LeadTasks } from '@/hooks/use-tasks';
import { ErrorNotice } from '../error-notice';
import { formatTime } from '../lead/format';
import { TaskRow } from './task-row';

/** "Follow up in …": working days ahead, counted in the assignee's working time by the API. */
export const FOLLOW_UP_PRESETS = [
  { label: 'Tomorrow', days: 1 },
  { label: 'In 3 days', days: 3 },
  { label: 'Next week', days: 5 },
] as const;

const ENROLMENT_STATE_LABELS = {
  active: 'Running',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
  removed: 'Removed',
} as const;

const HISTORY_LABELS = {
  enrolled: 'Enrolled',
  step_created: 'created',
  step_done: 'done',
  step_skipped: 'skipped',
  paused: 'Paused',
  resumed: 'Resumed',
  finished: 'Finished',
  stopped: 'Stopped',
  removed: 'Removed',
} as const;
const STEP_KINDS = new Set(['step_created', 'step_done', 'step_skipped']);

/** A lead's follow-ups: its open tasks, planning the next one, and its cadences (why one paused). */
export function LeadFollowUps({
  leadId,
  tasks,
  enrolments,
}: {
  leadId: string;
  tasks: LeadTasks;
  enrolments: LeadEnrolments;
}) {
  const id = useId();
  const [choosingId, setChoosingId] = useState<string | null>(null);
  const [type, setType] = useState<TaskType>('call');
  const [note, setNote] = useState('');
  const [date, setDate] = useState('');
  const [cadenceId, setCadenceId] = useState('');

  const plan = async (due: { dueInDays: number } | { dueAt: string }) => {
    const ok = await tasks.create({ leadId, type, ...due, ...(note.trim() ? { note: note.trim() } : {}) });
    if (ok) {
      setNote('');
      setDate('');
    }
  };

  const open = tasks.state.data?.items ?? [];
  const data = enrolments.state.data;
  const running = new Set(
    (data?.enrolments ?? [])
      .filter((e) => e.state === 'active' || e.state === 'paused')
      .map((e) => e.cadenceId),
  );
  const offered = (data?.cadences ?? []).filter((cadence) => !cadence.archived && !running.has(cadence.id));
  const chosen = offered.find((cadence) => cadence.id === cadenceId) ?? offered[0];

  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Follow-ups</h2>
      {tasks.error && <ErrorNotice error={tasks.error} />}
      {open.length === 0 ? (
        <p className="empty" data-testid="no-follow-ups">
          No follow-up planned.
        </p>
      ) : (
        <ol className="task-list" aria-label="Upcoming tasks">
          {open.map((task) => (
            <TaskRow
              key={task.id}
              task={task}
              actions={tasks}
              choosing={choosingId === task.id}
              onChoose={(isOpen) => setChoosingId(isOpen ? task.id : null)}
            />
          ))}
        </ol>
      )}
      <fieldset className="card stack plain-group">
        <legend className="visually-hidden">Plan a follow-up</legend>
        <div className="row">
          <label htmlFor={`${id}-type`}>Follow up by</label>
          <select
            id={`${id}-type`}
            className="select-inline"
            value={type}
            onChange={(event) => setType(event.target.value as TaskType)}
          >
            {TASK_TYPES.map((option) => (
              <option key={option} value={option}>
                {TASK_TYPE_LABELS[option]}
              </option>
            ))}
          </select>
        </div>
        <label htmlFor={`${id}-note`} className="visually-hidden">
          Follow-up note
        </label>
        <input
          id={`${id}-note`}
          type="text"
          maxLength={2000}
          placeholder="Note (optional)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <div className="row">
          {FOLLOW_UP_PRESETS.map((preset) => (
            <button
              key={preset.days}
              type="button"
              className="button"
              onClick={() => void plan({ dueInDays: preset.days })}
            >
              Follow up {preset.label.toLowerCase()}
            </button>
          ))}
        </div>
        <div className="row">
          <label htmlFor={`${id}-date`}>On</label>
          <input
            id={`${id}-date`}
            type="datetime-local"
            value={date}
            onChange={(event) => setDate(event.target.value)}
          />
          <button
            type="button"
            className="button"
            disabled={!date}
            onClick={() => void plan({ dueAt: new Date(date).toISOString() })}
          >
            Add follow-up
          </button>
        </div>
      </fieldset>

      <h2>Cadences</h2>
      {enrolments.error && <ErrorNotice error={enrolments.error} />}
      {data && data.enrolments.length > 0 && (
        <ul className="list" aria-label="Cadence enrolments">
          {data.enrolments.map((enrolment) => (
            <li key={enrolment.id} className="list-item enrolment" data-testid="enrolment">
              <div className="stack-tight">
                <strong>{enrolment.cadenceName}</strong>
                <span
                  className={enrolment.state === 'paused' ? 'notice' : 'muted'}
                  data-testid="enrolment-state"
                >
                  {ENROLMENT_STATE_LABELS[enrolment.state]}
                  {enrolment.reason ? `: ${enrolment.reason}` : ''}
                  {enrolment.state === 'active' && enrolment.nextDueAt
                    ? ` · step ${enrolment.nextStep + 1} of ${enrolment.stepCount} on ${formatTime(enrolment.nextDueAt)}`
                    : ''}
                </span>
              </div>
              {enrolment.history.length > 0 && (
                <details className="enrolment-history">
                  <summary>History</summary>
                  <ol>
                    {enrolment.history.map((entry) => (
                      <li key={`${entry.at} ${entry.kind} ${entry.stepIndex}`}>
                        <time dateTime={entry.at}>{formatTime(entry.at)}</time>{' '}
                        {entry.stepIndex !== null && STEP_KINDS.has(entry.kind)
                          ? `Step ${entry.stepIndex + 1} ${HISTORY_LABELS[entry.kind]}`
                          : HISTORY_LABELS[entry.kind]}
                        {entry.reason ? `: ${entry.reason}` : ''}
                      </li>
                    ))}
                  </ol>
                </details>
              )}
              <div className="row">
                {enrolment.state === 'active' && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void enrolments.change(enrolment.id, 'pause')}
                  >
                    Pause
                  </button>
                )}
                {enrolment.state === 'paused' && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => void enrolments.change(enrolment.id, 'resume')}
                  >
                    Resume
                  </button>
                )}
                {(enrolment.state === 'active' || enrolment.state === 'paused') && (
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => void enrolments.change(enrolment.id, 'remove')}
                  >
                    Remove
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {data && offered.length > 0 && (
        <div className="row">
          <label htmlFor={`${id}-cadence`}>Cadence</label>
          <select
            id={`${id}-cadence`}
            className="select-inline"
            value={chosen?.id ?? ''}
            onChange={(event) => setCadenceId(event.target.value)}
          >
            {offered.map((cadence) => (
              <option key={cadence.id} value={cadence.id}>
                {cadence.name} ({cadence.steps.length} steps)
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-primary"
            onClick={() => chosen && void enrolments.enrol(chosen.id)}
          >
            Enrol
          </button>
        </div>
      )}
      {data && data.cadences.length === 0 && (
        <p className="muted">No cadences yet: a manager adds them on the dashboard.</p>
      )}
    </section>
  );
}
