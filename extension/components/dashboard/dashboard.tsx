import { useEffect, useMemo, useRef, useState } from 'react';
import { useCampaigns } from '@/hooks/use-campaigns';
import { useUsers } from '@/hooks/use-users';
import { ActivitySection } from './activity-section';
import { AttributionSection } from './attribution-section';
import { useChartTheme } from './chart-setup';
import { FilterBar } from './filter-bar';
import { defaultFilters, type Filters, fileSuffix, toQuery } from './filters';
import { FunnelSection } from './funnel-section';
import { Kpis } from './kpis';
import { SourcesSection } from './sources-section';
import { SpeedSection } from './speed-section';
import { VelocitySection } from './velocity-section';

/** The manager's page: filters on top, one section per question, each loading on its own. */
export function Dashboard() {
  const [draft, setDraft] = useState<Filters>(() => defaultFilters());
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

  return (
    <main className="dashboard">
      <header className="page-header">
        <h1>Leadline dashboard</h1>
        <p className="muted">
          Funnel, velocity, speed to lead, sources and attribution, from the recorded history.
        </p>
      </header>

      <FilterBar
        draft={draft}
        setDraft={setDraft}
        rangeError={rangeError}
        owners={owners}
        campaigns={campaigns}
      />

      <div className="grid" key={theme.dark ? 'dark' : 'light'}>
        <Kpis query={query} />
        <FunnelSection query={query} suffix={suffix} />
        <VelocitySection query={query} suffix={suffix} />
        <SpeedSection query={query} suffix={suffix} />
        <AttributionSection query={query} suffix={suffix} />
        <SourcesSection query={query} suffix={suffix} />
        <ActivitySection query={query} suffix={suffix} />
      </div>
    </main>
  );
}
