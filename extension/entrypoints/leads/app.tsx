import { useMemo } from 'react';
import { ApiProvider } from '@/components/api-context';
import { figureQueryFrom } from '@/components/lead-lists/figure-query';
import { LeadsPage } from '@/components/lead-lists/leads-page';
import { useStorageItem } from '@/hooks/use-storage-item';
import { settingsItem } from '@/utils/settings';

export function App() {
  const settings = useStorageItem(settingsItem);
  const query = useMemo(() => figureQueryFrom(window.location.search), []);

  if (settings === undefined) return <main className="dashboard" aria-busy="true" />;
  if (settings === null || query === null) {
    return (
      <main className="dashboard">
        <h1>Leadline leads</h1>
        <div className="notice" role="status">
          {settings === null ? (
            <p>Open the Leadline side panel, enter the API URL and your token, then come back to this tab.</p>
          ) : (
            <p>
              This page lists the leads behind a dashboard figure: open it from a bar or a row of the
              dashboard.
            </p>
          )}
        </div>
      </main>
    );
  }
  return (
    <ApiProvider settings={settings}>
      <LeadsPage query={query} />
    </ApiProvider>
  );
}
