import type { Lead, LeadStage } from '@leadline/shared';
import { useEffect, useId, useState } from 'react';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { useApi } from './api-context';
import { ErrorNotice } from './error-notice';
import { useMe } from './me-context';
import { STAGE_LABELS, STAGES, StageBadge } from './stage-badge';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The team's leads, newest first, with search and "load more". */
export function LeadList({ onOpen, onAdd }: { onOpen(id: string): void; onAdd(): void }) {
  const api = useApi();
  const searchId = useId();
  const me = useMe();
  const [search, setSearch] = useState('');
  const [stage, setStage] = useState<LeadStage | ''>('');
  const [mine, setMine] = useState(false);
  const q = useDebounced(search.trim(), 250);
  const [extra, setExtra] = useState<{ items: Lead[]; nextCursor: string | null } | null>(null);
  const query = {
    sort: '-score' as const,
    limit: '25',
    ...(q ? { q } : {}),
    ...(stage ? { stage } : {}),
    ...(mine && me ? { owner: me.user.id } : {}),
  };
  const [state, reload] = useAsync(async () => {
    setExtra(null);
    return unwrap(api.leads.$get({ query }));
  }, [api, q, stage, mine, me?.user.id]);

  const items = [...(state.data?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : (state.data?.nextCursor ?? null);

  async function loadMore() {
    if (!nextCursor) return;
    const page = await unwrap(
      api.leads.$get({ query: { limit: '25', cursor: nextCursor, ...(q ? { q } : {}) } }),
    );
    setExtra((previous) => ({
      items: [...(previous?.items ?? []), ...page.items],
      nextCursor: page.nextCursor,
    }));
  }

  return (
    <section className="stack" aria-labelledby={`${searchId}-title`}>
      <div className="row row-between">
        <h1 id={`${searchId}-title`}>Hot leads</h1>
        <button type="button" className="button button-primary" onClick={onAdd}>
          Add lead
        </button>
      </div>
      <label htmlFor={searchId} className="visually-hidden">
        Search leads
      </label>
      <input
        id={searchId}
        type="search"
        placeholder="Search name, e-mail, company"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <div className="row">
        <label className="visually-hidden" htmlFor={`${searchId}-stage`}>
          Stage
        </label>
        <select
          id={`${searchId}-stage`}
          value={stage}
          onChange={(event) => setStage(event.target.value as LeadStage | '')}
          className="select-inline"
        >
          <option value="">All stages</option>
          {STAGES.map((value) => (
            <option key={value} value={value}>
              {STAGE_LABELS[value]}
            </option>
          ))}
        </select>
        <fieldset className="segmented">
          <legend className="visually-hidden">Whose leads</legend>
          <button type="button" aria-pressed={!mine} onClick={() => setMine(false)}>
            Team
          </button>
          <button type="button" aria-pressed={mine} onClick={() => setMine(true)} disabled={!me}>
            Mine
          </button>
        </fieldset>
      </div>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.status === 'loading' && !state.data && (
        <ul className="list" aria-busy="true" aria-label="Loading leads">
          {[0, 1, 2].map((n) => (
            <li key={n} className="skeleton" />
          ))}
        </ul>
      )}
      {state.status === 'ready' && items.length === 0 && (
        <p className="empty">
          {q ? `No lead matches “${q}”.` : 'No leads yet. Capture one from a page or add one by hand.'}
        </p>
      )}
      {items.length > 0 && (
        <ul className="list" data-testid="lead-list">
          {items.map((lead) => (
            <li key={lead.id} className="list-row">
              <button type="button" className="list-item" onClick={() => onOpen(lead.id)}>
                <span className="list-item-main">
                  <span className="list-item-title">{lead.fullName ?? lead.email ?? lead.linkedinUrl}</span>
                  <span className="muted">{[lead.title, lead.company].filter(Boolean).join(' · ')}</span>
                </span>
                <span className="list-item-side">
                  <span className="score-chip" title="Score">
                    {lead.score}
                  </span>
                  <StageBadge stage={lead.stage} />
                </span>
              </button>
              {(lead.linkedinUrl || lead.email) && (
                <span className="list-actions">
                  {lead.linkedinUrl && (
                    <a
                      className="button button-quiet"
                      href={lead.linkedinUrl}
                      target="_blank"
                      rel="noreferrer noopener"
                      aria-label={`LinkedIn profile of ${lead.fullName ?? 'this lead'}`}
                    >
                      in
                    </a>
                  )}
                  {lead.email && (
                    <a
                      className="button button-quiet"
                      href={`mailto:${lead.email}`}
                      aria-label={`E-mail ${lead.fullName ?? lead.email}`}
                    >
                      ✉
                    </a>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <button type="button" className="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </section>
  );
}
