import { ApiProvider } from '@/components/api-context';
import { ImportsPage } from '@/components/imports/imports-page';
import { useStorageItem } from '@/hooks/use-storage-item';
import { settingsItem } from '@/utils/settings';

export function App() {
  const settings = useStorageItem(settingsItem);

  if (settings === undefined) return <main className="dashboard" aria-busy="true" />;
  if (settings === null) {
    return (
      <main className="dashboard">
        <h1>Leadline imports</h1>
        <div className="notice" role="status">
          <p>Open the Leadline side panel, enter the API URL and your token, then come back to this tab.</p>
        </div>
      </main>
    );
  }
  return (
    <ApiProvider settings={settings}>
      <ImportsPage settings={settings} />
    </ApiProvider>
  );
}
