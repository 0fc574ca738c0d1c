import {
  OUTCOME_REQUIRED,
  SNOOZE_LABELS,
  SNOOZE_OPTIONS,
  type Snooze,
  TASK_OUTCOMES,
  TASK_TYPE_LABELS,
  type Task,
} from '@leadline/shared';
import { formatTime } from '../lead/format';

export interface TaskActions {
  done(task: Task, outcome?: string): Promise<boolean>;
  skip(task: Task): Promise<boolean>;
  snooze(task: Task, snooze: Snooze): Promise<boolean>;
}

/** Whether "Do" must ask what happened first (a call, or a type with more than one outcome). */
export function asksOutcome(task: Pick<Task, 'type'>) {
  return OUTCOME_REQUIRED.has(task.type) || TASK_OUTCOMES[task.type].length > 1;
}

/** The choice of what happened, each a button (and a number key in Today). */
export function OutcomeChoice({
  task,
  onPick,
  onCancel,
}: {
  task: Task;
  onPick(outcome: string): void;
  onCancel(): void;
}) {
  return (
    <fieldset className="row task-outcomes plain-group">
      <legend className="visually-hidden">What happened: {TASK_TYPE_LABELS[task.type]}</legend>
      {TASK_OUTCOMES[task.type].map((outcome, index) => (
        <button
          key={outcome.id}
          type="button"
          className="button"
          aria-keyshortcuts={String(index + 1)}
          onClick={() => onPick(outcome.id)}
        >
          <kbd>{index + 1}</kbd> {outcome.label}
        </button>
      ))}
      <button type="button" className="button button-quiet" onClick={onCancel}>
        Cancel
      </button>
    </fieldset>
  );
}

/** When a task shows, as the rep reads it: "Overdue since …", "Snoozed until …", "Due …". */
function when(task: Task) {
  if (task.state === 'done' || task.state === 'skipped')
    return `${task.state === 'done' ? 'Done' : 'Skipped'}`;
  if (task.overdue) return `Overdue · due ${formatTime(task.dueAt)}`;
  if (task.state === 'snoozed' && task.snoozedUntil) return `Snoozed until ${formatTime(task.snoozedUntil)}`;
  return `Due ${formatTime(task.showAt)}`;
}

/**
 * One task with its one-click actions: do (asking what happened where that matters), skip, and
 * snooze 1 h, tomorrow or next week. `onOpenLead` shows the lead's name as a link to it.
 */
export function TaskRow({
  task,
  actions,
  selected = false,
  choosing,
  onChoose,
  onOpenLead,
}: {
  task: Task;
  actions: TaskActions;
  selected?: boolean;
  /** The outcome choice is open. */
  choosing: boolean;
  onChoose(open: boolean): void;
  onOpenLead?(): void;
}) {
  const label = TASK_TYPE_LABELS[task.type];
  const open = task.state === 'open' || task.state === 'snoozed';
  return (
    <li
      className={`task-row${selected ? ' task-row-selected' : ''}${task.overdue ? ' task-row-overdue' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="task-row"
      data-task-id={task.id}
    >
      <div className="task-main">
        <span className="hot-score" title="Live score of the lead">
          {task.lead.score}
        </span>
        <div className="stack-tight">
          <div className="task-title">
            <strong>{label}</strong>
            {onOpenLead ? (
              <button type="button" className="link-button" onClick={onOpenLead}>
                {task.lead.name}
              </button>
            ) : null}
            {task.lead.company && onOpenLead && <span className="muted">· {task.lead.company}</span>}
          </div>
          {task.note && <p className="task-note">{task.note}</p>}
          <p className={task.overdue ? 'task-when task-when-overdue' : 'task-when muted'}>
            {when(task)}
            {task.source === 'cadence' && task.stepIndex !== null
              ? ` · cadence step ${task.stepIndex + 1}`
              : ''}
          </p>
        </div>
      </div>
      {open && !choosing && (
        <div className="row task-actions">
          <button
            type="button"
            className="button button-primary"
            aria-keyshortcuts={selected ? 'd' : undefined}
            aria-label={`Do: ${label} ${task.lead.name}`}
            onClick={() => (asksOutcome(task) ? onChoose(true) : void actions.done(task))}
          >
            Do
          </button>
          <button
            type="button"
            className="button"
            aria-keyshortcuts={selected ? 's' : undefined}
            aria-label={`Skip: ${label} ${task.lead.name}`}
            onClick={() => void actions.skip(task)}
          >
            Skip
          </button>
          {SNOOZE_OPTIONS.map((snooze) => (
            <button
              key={snooze}
              type="button"
              className="button button-quiet"
              aria-keyshortcuts={selected ? SNOOZE_KEYS[snooze] : undefined}
              aria-label={`Snooze ${SNOOZE_LABELS[snooze]}: ${label} ${task.lead.name}`}
              onClick={() => void actions.snooze(task, snooze)}
            >
              {SNOOZE_LABELS[snooze]}
            </button>
          ))}
        </div>
      )}
      {open && choosing && (
        <OutcomeChoice
          task={task}
          onPick={(outcome) => {
            onChoose(false);
            void actions.done(task, outcome);
          }}
          onCancel={() => onChoose(false)}
        />
      )}
    </li>
  );
}

/** Today's keys for the selected task's snoozes. */
export const SNOOZE_KEYS: Readonly<Record<Snooze, string>> = { hour: 'h', tomorrow: 't', next_week: 'w' };
