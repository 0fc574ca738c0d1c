import type { LeadDetail } from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { useMe } from '@/components/me-context';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { breachParts } from './breach-line';

/** "their share" → "your share": the same summary, said to its owner. */
const toYou = (summary: string) => summary.replace(/\btheirs\b/g, 'yours').replace(/\btheir\b/g, 'your');

/**
 * Why the lead is whose: the summary of its latest assignment ("Yours: DACH territory, round robin
 * (furthest below your share)"), with Claim for a lead in the queue and Route again.
 */
export function WhyOwner({
  lead,
  users,
  onChanged,
  onClaim,
}: {
  lead: LeadDetail;
  users: Map<string, string>;
  onChanged(): void;
  onClaim(ownerId: string): void;
}) {
  const api = useApi();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const [state] = useAsync(
    () => unwrap(api.leads[':id'].assignments.$get({ param: { id: lead.id } })),
    [api, lead.id, lead.ownerId, lead.updatedAt],
  );
  const latest = state.data?.items[0];
  if (!latest || !me) return null;
  const mine = lead.ownerId === me.user.id;
  const sla = breachParts(latest);
  const summary = sla?.placed ?? latest.trace.summary;
  const line = mine
    ? `Yours: ${toYou(summary)}`
    : lead.ownerId
      ? `${users.get(lead.ownerId) ?? 'A colleague'}’s: ${summary}`
      : `In the unassigned queue: ${summary}`;
  const canRoute = mine || me.user.role !== 'rep';

  async function act(call: () => Promise<unknown>) {
    setError(null);
    try {
      await call();
      onChanged();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <div className="why-owner" data-testid="why-owner">
      {sla && (
        <p className="why-owner-breach" data-testid="why-owner-breach">
          {sla.breach} (due {new Date(sla.deadline).toLocaleString()})
        </p>
      )}
      <p>{line}</p>
      <div className="row">
        {!lead.ownerId && (
          <button type="button" className="button button-primary" onClick={() => onClaim(me.user.id)}>
            Claim
          </button>
        )}
        {canRoute && latest.trace.version !== 0 && (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => void act(() => unwrap(api.leads[':id'].route.$post({ param: { id: lead.id } })))}
          >
            Route again
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
