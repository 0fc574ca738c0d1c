import type { Lead } from '@leadline/shared';
import { useId } from 'react';
import { unwrap } from '@/utils/api';
import { useApi } from './api-context';
import { ErrorNotice } from './error-notice';
import { StageBadge } from './stage-badge';
import { useAsync } from './use-async';

const DETAILS: { key: keyof Lead; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'company', label: 'Company' },
  { key: 'email', label: 'E-mail' },
  { key: 'phone', label: 'Phone' },
  { key: 'location', label: 'Location' },
  { key: 'website', label: 'Website' },
  { key: 'linkedinUrl', label: 'LinkedIn' },
];

function formatTime(iso: string) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** One lead: who they are, their stage and score, and what has happened with them. */
export function LeadDetail({ id, onBack, onDeleted }: { id: string; onBack(): void; onDeleted(): void }) {
  const api = useApi();
  const titleId = useId();
  const [state, reload] = useAsync(async () => {
    const [lead, touchpoints] = await Promise.all([
      unwrap(api.leads[':id'].$get({ param: { id } })),
      unwrap(api.leads[':id'].touchpoints.$get({ param: { id } })),
    ]);
    return { lead, touchpoints: touchpoints.items };
  }, [api, id]);

  async function remove(lead: Lead) {
    if (
      !window.confirm(`Forget ${lead.fullName ?? 'this lead'}, with every touchpoint? This cannot be undone.`)
    )
      return;
    await unwrap(api.leads[':id'].$delete({ param: { id } }));
    onDeleted();
  }

  return (
    <section className="stack" aria-labelledby={titleId}>
      <button type="button" className="button button-quiet back" onClick={onBack}>
        ← Back
      </button>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      {!state.data && state.status === 'loading' && (
        <div className="skeleton skeleton-card" aria-busy="true" />
      )}
      {state.data && (
        <>
          <header className="card">
            <div className="row row-between">
              <h1 id={titleId}>{state.data.lead.fullName ?? state.data.lead.email ?? 'Unnamed lead'}</h1>
              <StageBadge stage={state.data.lead.stage} />
            </div>
            <p className="score-line">
              <span className="score-big" data-testid="lead-score">
                {state.data.lead.score}
              </span>
              <span className="muted">score · grade {state.data.lead.grade}</span>
            </p>
          </header>
          <dl className="details">
            {DETAILS.filter(({ key }) => state.data!.lead[key]).map(({ key, label }) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{String(state.data!.lead[key])}</dd>
              </div>
            ))}
          </dl>
          <h2>Timeline</h2>
          {state.data.touchpoints.length === 0 ? (
            <p className="empty">No touchpoints yet.</p>
          ) : (
            <ol className="timeline">
              {state.data.touchpoints.map((touchpoint) => (
                <li key={touchpoint.id}>
                  <span className="timeline-type">{touchpoint.type.replaceAll('_', ' ')}</span>
                  <time dateTime={touchpoint.occurredAt}>{formatTime(touchpoint.occurredAt)}</time>
                  {touchpoint.note && <p>{touchpoint.note}</p>}
                </li>
              ))}
            </ol>
          )}
          <button
            type="button"
            className="button button-danger"
            onClick={() => void remove(state.data!.lead)}
          >
            Forget this lead
          </button>
        </>
      )}
    </section>
  );
}
