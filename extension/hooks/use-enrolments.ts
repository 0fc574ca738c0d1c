import type { Cadence, Enrolment } from '@leadline/shared';
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { useLeadEvents, useLive } from '@/components/live-context';
import { unwrap } from '@/utils/api';
import { useAsync } from './use-async';

/** A lead's cadence enrolments (with why each paused or ended) and the workspace's cadences to enrol in. */
export function useEnrolments(leadId: string) {
  const api = useApi();
  const { onServerEvent } = useLive();
  const [error, setError] = useState<Error | null>(null);
  const [state, reload] = useAsync(async () => {
    const [enrolments, cadences] = await Promise.all([
      unwrap(api.leads[':id'].enrolments.$get({ param: { id: leadId } })),
      unwrap(api.cadences.$get()),
    ]);
    return { enrolments: enrolments.items as Enrolment[], cadences: cadences.items as Cadence[] };
  }, [api, leadId]);
  useLeadEvents(leadId, reload);
  useEffect(
    () =>
      onServerEvent((event) => {
        if (event.type === 'cadence.changed') reload();
      }),
    [onServerEvent, reload],
  );

  const act = useCallback(
    async (action: () => Promise<unknown>) => {
      setError(null);
      try {
        await action();
        reload();
      } catch (caught) {
        setError(caught instanceof Error ? caught : new Error(String(caught)));
      }
    },
    [reload],
  );

  return {
    state,
    error,
    enrol: (cadenceId: string) =>
      act(() => unwrap(api.enrolments.$post({ json: { cadenceId, leadIds: [leadId] } }))),
    change: (enrolmentId: string, action: 'pause' | 'resume' | 'remove') =>
      act(() => unwrap(api.enrolments[':id'].$patch({ param: { id: enrolmentId }, json: { action } }))),
    recycle: (cadenceId: string) =>
      act(() => unwrap(api.leads[':id'].recycle.$post({ param: { id: leadId }, json: { cadenceId } }))),
  };
}

export type LeadEnrolments = ReturnType<typeof useEnrolments>;
