import type { LeadStage } from '@leadline/shared';
import { useEffect, useId, useState } from 'react';
import { useAsync } from '@/hooks/use-async';
import { useNow } from '@/hooks/use-now';
import { useUsers } from '@/hooks/use-users';
import { unwrap } from '@/utils/api';
import { downloadResponse } from '@/utils/download';
import { useApi } from './api-context';
import { ErrorNotice } from './error-notice';
import { ExportButtons } from './export-buttons';
import { type HotLead, HotLeadRow } from './hot-lead-row';
import { useMe } from './me-context';
import { STAGE_LABELS, STAGES } from './stage-badge';

/** The stage filter: open leads (the default), every lead, or one stage. */
type StageFilter = LeadStage | 'open' | 'all';
/** Whose leads: the team's, mine, or mine not yet touched. */
export type Whose = 'team' | 'mine' | 'new';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The team's open leads, hottest first (by the unrounded score), with search, filters and "load more". */
export function LeadList({
  onOpen,
  onAdd,
  initialWhose = 'team',
}: {
  onOpen(id: string): void;
  onAdd(): void;
  /** `new`: assigned to me, not yet touched (what the "N new for you" badge opens). */
  initialWhose?: Whose;
}) {
  const api = useApi();
  const searchId = useId();
  const me = useMe();
  const [search, setSearch] = useState('');
  const [stage, setStage] = useState<StageFilter>('open');
  const users = useUsers();
  const now = useNow();
  const [whose, setWhose] = useState<Whose>(initialWhose);
  useEffect(() => setWhose(initialWhose), [initialWhose]);
  const q = useDebounced(search.trim(), 250);
  const [extra, setExtra] = useState<{ items: HotLead[]; nextCursor: string | null } | null>(null);
  const query = {
    sort: '-score' as const,
    limit: '25',
    withNextStep: 'true' as const,
    ...(q ? { q } : {}),
    ...(stage === 'open' ? { open: 'true' as const } : stage === 'all' ? {} : { stage }),
    ...(whose !== 'team' && me ? { owner: me.user.id } : {}),
    ...(whose === 'new' ? { untouched: 'true' as const } : {}),
  };
  // The same filters, for the whole list (not only the pages shown), scored at the moment of export.
  const { sort: _sort, limit: _limit, withNextStep: _withNextStep, ...filters } = query;
  const [state, reload] = useAsync(async () => {
    setExtra(null);
    return unwrap(api.leads.$get({ query }));
  }, [api, q, stage, whose, me?.user.id]);

  const items = [...(state.data?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : (state.data?.nextCursor ?? null);

  async function loadMore() {
    if (!nextCursor) return;
    const page = await unwrap(api.leads.$get({ query: { ...query, cursor: nextCursor } }));
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
          onChange={(event) => setStage(event.target.value as StageFilter)}
          className="select-inline"
        >
          <option value="open">Open (not won or lost)</option>
          <option value="all">All stages</option>
          {STAGES.map((value) => (
            <option key={value} value={value}>
              {STAGE_LABELS[value]}
            </option>
          ))}
        </select>
        <fieldset className="segmented">
          <legend className="visually-hidden">Whose leads</legend>
          <button type="button" aria-pressed={whose === 'team'} onClick={() => setWhose('team')}>
            Team
          </button>
          <button
            type="button"
            aria-pressed={whose === 'mine'}
            onClick={() => setWhose('mine')}
            disabled={!me}
          >
            Mine
          </button>
          <button
            type="button"
            aria-pressed={whose === 'new'}
            onClick={() => setWhose('new')}
            disabled={!me}
            title="Assigned to me, not yet touched"
            aria-label="Assigned to me, not yet touched"
          >
            New for me
          </button>
        </fieldset>
      </div>
      <ExportButtons
        label="Export this list"
        downloads={[
          {
            name: 'Export CSV',
            run: () => downloadResponse(api.exports['leads.csv'].$get({ query: filters }), 'leads.csv'),
          },
          {
            name: 'Export vCards',
            run: () => downloadResponse(api.exports['leads.vcf'].$get({ query: filters }), 'leads.vcf'),
          },
        ]}
      />
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
            <HotLeadRow
              key={lead.id}
              lead={lead}
              now={now}
              ownerName={lead.ownerId ? (users.get(lead.ownerId) ?? 'someone') : null}
              onOpen={() => onOpen(lead.id)}
            />
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
