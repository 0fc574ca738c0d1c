import type { Snooze, Task, TaskList, TaskType } from '@leadline/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@/components/api-context';
import { useLive } from '@/components/live-context';
import { unwrap } from '@/utils/api';
import { sendMessage } from '@/utils/messaging';
import { useAsync } from './use-async';

export type TaskQuery =
  | { scope: 'today' }
  | {
      scope: 'lead';
      leadId: string;
    };

/** Events after which a task list may have changed: the team's task changes, and lead moves (owner, score). */
const RELOADS_ON = /^(task\.|enrolment\.|lead\.updated|touchpoint\.|scoring\.model_changed)/;

/** Tells the background to count the toolbar badge again. */
export function refreshBadge() {
  void sendMessage('refreshTaskBadge').catch(() => undefined);
}

/**
 * A list of tasks (the rep's Today, or one lead's open tasks), read again when the team's events
 * say something changed, and the rep's actions on them. A refused action ends in `error`.
 */
export function useTasks(query: TaskQuery) {
  const api = useApi();
  const { onServerEvent } = useLive();
  const [error, setError] = useState<Error | null>(null);
  const leadId = query.scope === 'lead' ? query.leadId : null;
  const [state, reload] = useAsync(
    (): Promise<TaskList> =>
      unwrap(
        api.tasks.$get({
          query:
            leadId === null
              ? { assignee: 'me', due: 'today', limit: '200' }
              : { assignee: 'any', leadId, limit: '50' },
        }),
      ),
    [api, leadId],
  );
  // Several events arrive together (a touchpoint, its stage move, the task): read once.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(
    () =>
      onServerEvent((event) => {
        if (!RELOADS_ON.test(event.type)) return;
        if (leadId !== null && event.leadId !== leadId && event.type !== 'scoring.model_changed') return;
        clearTimeout(timer.current);
        timer.current = setTimeout(reload, 150);
      }),
    [onServerEvent, leadId, reload],
  );
  useEffect(() => () => clearTimeout(timer.current), []);

  const act = useCallback(
    async (action: () => Promise<unknown>) => {
      setError(null);
      try {
        await action();
        reload();
        refreshBadge();
        return true;
      } catch (caught) {
        setError(caught instanceof Error ? caught : new Error(String(caught)));
        return false;
      }
    },
    [reload],
  );

  const patch = (task: Task, json: Parameters<(typeof api.tasks)[':id']['$patch']>[0]['json']) =>
    act(() => unwrap(api.tasks[':id'].$patch({ param: { id: task.id }, json })));

  return {
    state,
    reload,
    error,
    done: (task: Task, outcome?: string) => patch(task, { state: 'done', ...(outcome ? { outcome } : {}) }),
    skip: (task: Task) => patch(task, { state: 'skipped' }),
    snooze: (task: Task, snooze: Snooze) => patch(task, { snooze }),
    create: (body: {
      leadId: string;
      type: TaskType;
      dueInDays?: number;
      dueAt?: string;
      note?: string;
      source?: 'manual' | 'next_step';
    }) => act(() => unwrap(api.tasks.$post({ json: { source: 'manual', ...body } }))),
  };
}

export type LeadTasks = ReturnType<typeof useTasks>;

/** The count of the top bar: tasks due today (overdue included), read again on the team's task events. */
export function useTodayCount(): { total: number; overdue: number } | null {
  const api = useApi();
  const { onServerEvent } = useLive();
  const [count, setCount] = useState<{ total: number; overdue: number } | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    void generation;
    unwrap(api.tasks.$get({ query: { assignee: 'me', due: 'today', limit: '1' } })).then(
      (list) => {
        if (cancelled) return;
        setCount({ total: list.total, overdue: list.overdue });
        // The toolbar badge counts the same: the background reads it again now, not in a minute.
        refreshBadge();
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, generation]);
  useEffect(
    () =>
      onServerEvent((event) => {
        if (RELOADS_ON.test(event.type)) setGeneration((n) => n + 1);
      }),
    [onServerEvent],
  );
  // Due times pass while the panel is open: count again every minute.
  useEffect(() => {
    const timer = setInterval(() => setGeneration((n) => n + 1), 60_000);
    return () => clearInterval(timer);
  }, []);
  return count;
}
