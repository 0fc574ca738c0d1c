import { useEffect, useState } from 'react';
import { ApiProvider } from '@/components/api-context';
import { Dashboard } from '@/components/dashboard/dashboard';
import { type Settings, settingsItem } from '@/utils/settings';

export function App() {
  const [settings, setSettings] = useState<Settings | null | undefined>(undefined);
  useEffect(() => {
    void settingsItem.getValue().then(setSettings);
    return settingsItem.watch(setSettings);
  }, []);

  if (settings === undefined) return <main className="dashboard" aria-busy="true" />;
  if (settings === null) {
    return (
      <main className="dashboard">
        <h1>Leadline dashboard</h1>
        <div className="notice" role="status">
          <strong>Not connected yet.</strong>
          <p>Open the Leadline side panel, enter the API URL and your token, then come back to this tab.</p>
        </div>
      </main>
    );
  }
  return (
    <ApiProvider settings={settings}>
      <Dashboard />
    </ApiProvider>
  );
}
