import type { Me } from '@leadline/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { FormsPage } from '@/components/forms/forms-page';
import { TeamPage } from '@/components/team/team-page';
import { useAsync } from '@/hooks/use-async';
import { useCampaigns } from '@/hooks/use-campaigns';
import { useUsers } from '@/hooks/use-users';
import { unwrap } from '@/utils/api';
import { ActivitySection } from './activity-section';
import { AttributionSection } from './attribution-section';
import { CadenceResultsSection } from './cadence-results-section';
import { CadencesSection } from './cadences-section';
import { ChartScheme, useChartTheme } from './chart-setup';
import { FilterBar } from './filter-bar';
import { defaultFilters, defaultOwner, type Filters, fileSuffix, toQuery } from './filters';
import { FunnelSection } from './funnel-section';
import { Kpis } from './kpis';
import { RoutingSection } from './routing-section';
import { ScoringStatus } from './scoring-status';
import { SourcesSection } from './sources-section';
import { SpeedSection } from './speed-section';
import { VelocitySection } from './velocity-section';
import { WorkspaceSettingsSection } from './workspace-settings';

type View = 'figures' | 'team' | 'forms';
const viewOf = (hash: string): View => (hash === '#team' ? 'team' : hash === '#forms' ? 'forms' : 'figures');

/**
 * Which page of the dashboard the address asks for (`#team`: the Team page, `#forms`: website forms),
 * following Back/Forward.
 */
function useView(): View {
  const [view, setView] = useState<View>(() => viewOf(location.hash));
  useEffect(() => {
    const update = () => setView(viewOf(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return view;
}

/**
 * The manager's page: who is signed in (a rep's figures are their own by default) and whether the
 * workspace has any lead at all (none: how to get the demo), then the filters and one section per
 * question, each loading on its own.
 */
export function Dashboard({ apiUrl }: { apiUrl: string }) {
  const api = useApi();
  const view = useView();
  const [state, reload] = useAsync(
    () =>
      Promise.all([
        unwrap(api.me.$get()),
        unwrap(api.analytics.leads.$get({ query: { figure: 'funnel', limit: '1' } })),
      ]),
    [api],
  );
  const header = (
    <header className="page-header">
      <h1>Leadline dashboard</h1>
      <p className="muted">
        Funnel, velocity, speed to lead, sources and attribution, from the recorded history.
      </p>
      <ScoringStatus />
    </header>
  );
  if (!state.data) {
    return (
      <main className="dashboard" aria-busy={state.status === 'loading'}>
        {header}
        {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      </main>
    );
  }
  const [me, anyLead] = state.data;
  const canSeeTeam = me.user.role !== 'rep';
  return (
    <main className="dashboard">
      {header}
      {canSeeTeam && (
        <nav className="page-tabs" aria-label="Dashboard pages">
          <a href="#figures" aria-current={view === 'figures' ? 'page' : undefined}>
            Figures
          </a>
          <a href="#team" aria-current={view === 'team' ? 'page' : undefined}>
            Team
          </a>
          <a href="#forms" aria-current={view === 'forms' ? 'page' : undefined}>
            Forms
          </a>
          <a href="webhooks.html" target="_blank" rel="noreferrer">
            Webhooks
          </a>
          <a href="imports.html" target="_blank" rel="noreferrer">
            Import
          </a>
        </nav>
      )}
      {view === 'team' && canSeeTeam ? (
        <TeamPage me={me} apiUrl={apiUrl} />
      ) : view === 'forms' && canSeeTeam ? (
        <FormsPage />
      ) : (
        <>
          {anyLead.total === 0 ? <EmptyWorkspace onReload={reload} /> : <Figures me={me} />}
          <CadencesSection me={me} />
          <WorkspaceSettingsSection me={me} />
        </>
      )}
    </main>
  );
}

function EmptyWorkspace({ onReload }: { onReload(): void }) {
  return (
    <section
      className="card card-wide empty-state"
      aria-labelledby="empty-heading"
      data-testid="dashboard-empty"
    >
      <h2 id="empty-heading">No leads yet</h2>
      <p>
        The dashboard adds up the team’s leads, stage changes and touchpoints, and this workspace has none so
        far. Leads saved from the side panel, imported or sent by a web form appear here.
      </p>
      <p>
        To look around first, fill the database with a demo team and a year of history: where the API runs,
        stop it and run <code>pnpm demo</code>, start it again, then reload.
      </p>
      <button type="button" className="button" onClick={onReload}>
        Reload
      </button>
    </section>
  );
}

function Figures({ me }: { me: Me }) {
  const initial = () => defaultFilters(new Date(), defaultOwner(me));
  const [draft, setDraft] = useState<Filters>(initial);
  const [filters, setFilters] = useState<Filters>(draft);
  const owners = useUsers();
  const campaigns = useCampaigns();
  const theme = useChartTheme();
  const rangeError =
    draft.from && draft.to && draft.from > draft.to ? 'The start date is after the end date.' : null;

  // Selects and dates apply at once; the campaign text waits for the typing to pause.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (rangeError) return;
    clearTimeout(timer.current);
    const apply = () => setFilters(draft);
    if (draft.campaign !== filters.campaign) timer.current = setTimeout(apply, 400);
    else apply();
    return () => clearTimeout(timer.current);
  }, [draft, rangeError, filters.campaign]);

  const query = useMemo(() => toQuery(filters), [filters]);
  const suffix = fileSuffix(filters);
  // The signed-in user is in the owner list even before any lead is theirs.
  const ownerOptions = useMemo(() => new Map([[me.user.id, me.user.name], ...owners]), [me, owners]);

  return (
    <>
      <FilterBar
        draft={draft}
        setDraft={setDraft}
        rangeError={rangeError}
        owners={ownerOptions}
        campaigns={campaigns}
        onReset={() => setDraft(initial())}
      />
      {filters.owner === me.user.id && (
        <p className="muted" data-testid="own-figures">
          Your own figures: the leads you own and the touchpoints you logged. Choose “Everyone” for the
          team’s.
        </p>
      )}

      <ChartScheme.Provider value={theme.dark ? 'dark' : 'light'}>
        <div className="grid">
          <Kpis query={query} />
          <FunnelSection query={query} suffix={suffix} />
          <VelocitySection query={query} suffix={suffix} />
          <SpeedSection query={query} suffix={suffix} />
          <AttributionSection query={query} suffix={suffix} />
          <SourcesSection query={query} suffix={suffix} />
          <ActivitySection query={query} suffix={suffix} />
          <CadenceResultsSection query={query} suffix={suffix} />
          {me.user.role !== 'rep' && <RoutingSection query={query} suffix={suffix} />}
        </div>
      </ChartScheme.Provider>
    </>
  );
}
