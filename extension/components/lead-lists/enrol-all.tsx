import type { AnalyticsLead, Cadence } from '@leadline/shared';
import { useId, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import type { FigureQuery } from './figure-query';

/** How many leads one enrol request carries (the API takes up to 1,000). */
const CHUNK = 500;

/**
 * "Enrol these leads": every lead of the filtered list (not only the pages on screen) in one of the
 * workspace's cadences; leads already running in it are counted, not enrolled twice.
 */
export function EnrolAll({ query, total }: { query: FigureQuery; total: number }) {
  const api = useApi();
  const id = useId();
  const [cadences] = useAsync(async () => (await unwrap(api.cadences.$get())).items as Cadence[], [api]);
  const [cadenceId, setCadenceId] = useState('');
  const [status, setStatus] = useState<string | 'running' | Error | null>(null);
  const offered = (cadences.data ?? []).filter((cadence) => !cadence.archived);
  const chosen = offered.find((cadence) => cadence.id === cadenceId) ?? offered[0];
  if (!chosen || total === 0) return null;

  async function enrolAll() {
    if (!chosen) return;
    setStatus('running');
    try {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await unwrap(api.analytics.leads.$get({ query: { ...query, limit: '500', cursor } }));
        ids.push(...page.items.map((lead: AnalyticsLead) => lead.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      let enrolled = 0;
      let skipped = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const result = await unwrap(
          api.enrolments.$post({ json: { cadenceId: chosen.id, leadIds: ids.slice(i, i + CHUNK) } }),
        );
        enrolled += result.enrolled.length;
        skipped += result.skipped.length;
      }
      setStatus(`Enrolled ${enrolled} in ${chosen.name}${skipped ? `; ${skipped} already in it` : ''}.`);
    } catch (error) {
      setStatus(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return (
    <div className="table-tools">
      <label htmlFor={id}>Cadence</label>
      <select id={id} value={chosen.id} onChange={(event) => setCadenceId(event.target.value)}>
        {offered.map((cadence) => (
          <option key={cadence.id} value={cadence.id}>
            {cadence.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button"
        disabled={status === 'running'}
        onClick={() => void enrolAll()}
      >
        {status === 'running' ? 'Enrolling…' : `Enrol these ${total} leads`}
      </button>
      {typeof status === 'string' && status !== 'running' && <p role="status">{status}</p>}
      {status instanceof Error && <ErrorNotice error={status} />}
    </div>
  );
}
