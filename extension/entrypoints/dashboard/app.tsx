import { ApiProvider } from '@/components/api-context';
import { Dashboard } from '@/components/dashboard/dashboard';
import { useStorageItem } from '@/hooks/use-storage-item';
import { settingsItem } from '@/utils/settings';

export function App() {
  const settings = useStorageItem(settingsItem);

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
      <Dashboard apiUrl={settings.apiUrl} />
    </ApiProvider>
  );
}
