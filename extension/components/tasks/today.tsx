import { SNOOZE_OPTIONS, TASK_OUTCOMES, type Task } from '@leadline/shared';
import { useEffect, useId, useState } from 'react';
import { useTasks } from '@/hooks/use-tasks';
import { ErrorNotice } from '../error-notice';
import { asksOutcome, SNOOZE_KEYS, TaskRow } from './task-row';

function isTyping(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * Today: the rep's overdue tasks, then those due later today, each group with the hottest lead
 * first (the API orders them by live score). Every task is one click, or one key on the selected
 * one: ↑/↓ (or k/j) select, d do, s skip, h/t/w snooze 1 h, tomorrow, next week, Enter opens the lead.
 */
export function Today({ onOpenLead }: { onOpenLead(id: string): void }) {
  const titleId = useId();
  const tasks = useTasks({ scope: 'today' });
  const items = tasks.state.data?.items ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [choosingId, setChoosingId] = useState<string | null>(null);
  const selected = items.find((task) => task.id === selectedId) ?? items[0] ?? null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (!selected) return;
      const index = items.indexOf(selected);
      const handled = () => event.preventDefault();
      if (choosingId === selected.id) {
        const outcome = TASK_OUTCOMES[selected.type][Number.parseInt(event.key, 10) - 1];
        if (outcome) {
          handled();
          setChoosingId(null);
          void tasks.done(selected, outcome.id);
        } else if (event.key === 'Escape') {
          handled();
          setChoosingId(null);
        }
        return;
      }
      const snooze = SNOOZE_OPTIONS.find((option) => SNOOZE_KEYS[option] === event.key);
      if (event.key === 'ArrowDown' || event.key === 'j') {
        handled();
        setSelectedId(items[Math.min(items.length - 1, index + 1)]!.id);
      } else if (event.key === 'ArrowUp' || event.key === 'k') {
        handled();
        setSelectedId(items[Math.max(0, index - 1)]!.id);
      } else if (event.key === 'd') {
        handled();
        if (asksOutcome(selected)) setChoosingId(selected.id);
        else void tasks.done(selected);
      } else if (event.key === 's') {
        handled();
        void tasks.skip(selected);
      } else if (snooze) {
        handled();
        void tasks.snooze(selected, snooze);
      } else if (event.key === 'Enter' && event.target === document.body) {
        handled();
        onOpenLead(selected.leadId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const overdue = items.filter((task) => task.overdue);
  const later = items.filter((task) => !task.overdue);
  const group = (list: Task[]) =>
    list.map((task) => (
      <TaskRow
        key={task.id}
        task={task}
        actions={tasks}
        selected={task.id === selected?.id}
        choosing={choosingId === task.id}
        onChoose={(open) => setChoosingId(open ? task.id : null)}
        onOpenLead={() => onOpenLead(task.leadId)}
      />
    ));

  return (
    <section className="stack" aria-labelledby={titleId}>
      <div className="row row-between">
        <h1 id={titleId}>Today</h1>
        {tasks.state.data && (
          <span className="muted" data-testid="today-summary">
            {tasks.state.data.total} due · {tasks.state.data.overdue} overdue
          </span>
        )}
      </div>
      {tasks.state.status === 'error' && <ErrorNotice error={tasks.state.error} onRetry={tasks.reload} />}
      {tasks.error && (
        <div data-testid="action-error">
          <ErrorNotice error={tasks.error} />
        </div>
      )}
      {!tasks.state.data && tasks.state.status === 'loading' && (
        <div className="skeleton skeleton-card" role="status" aria-busy="true">
          <span className="visually-hidden">Loading today’s tasks</span>
        </div>
      )}
      {tasks.state.data && items.length === 0 && (
        <p className="empty" data-testid="today-empty">
          Nothing due today. Follow-ups you plan on a lead, and cadence steps, show up here when due.
        </p>
      )}
      {overdue.length > 0 && (
        <>
          <h2>Overdue</h2>
          <ol className="task-list" aria-label="Overdue tasks">
            {group(overdue)}
          </ol>
        </>
      )}
      {later.length > 0 && (
        <>
          <h2>Due today</h2>
          <ol className="task-list" aria-label="Due today">
            {group(later)}
          </ol>
        </>
      )}
      {items.length > 0 && (
        <p className="hint">
          Keys: <kbd>↑</kbd>/<kbd>↓</kbd> select · <kbd>d</kbd> do · <kbd>s</kbd> skip · <kbd>h</kbd> 1 h ·{' '}
          <kbd>t</kbd> tomorrow · <kbd>w</kbd> next week · <kbd>Enter</kbd> open the lead
        </p>
      )}
    </section>
  );
}
