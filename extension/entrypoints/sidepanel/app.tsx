import { useEffect, useState } from 'react';
import { ApiProvider } from '@/components/api-context';
import { LeadDetail } from '@/components/lead-detail';
import { LeadForm } from '@/components/lead-form';
import { LeadList } from '@/components/lead-list';
import { SettingsView } from '@/components/settings-view';
import { type Settings, settingsItem } from '@/utils/settings';

type View = { name: 'list' } | { name: 'new' } | { name: 'lead'; id: string } | { name: 'settings' };

export function App() {
  const [settings, setSettings] = useState<Settings | null | undefined>(undefined);
  const [view, setView] = useState<View>({ name: 'list' });

  useEffect(() => {
    void settingsItem.getValue().then(setSettings);
    return settingsItem.watch(setSettings);
  }, []);

  if (settings === undefined) return <main className="app" aria-busy="true" />;

  async function save(next: Settings) {
    await settingsItem.setValue(next);
    setSettings(next);
    setView({ name: 'list' });
  }

  if (settings === null || view.name === 'settings') {
    return (
      <main className="app">
        <SettingsView
          initial={settings}
          onSave={save}
          onCancel={settings ? () => setView({ name: 'list' }) : undefined}
        />
      </main>
    );
  }

  return (
    <ApiProvider settings={settings}>
      <main className="app">
        <nav className="topbar" aria-label="Leadline">
          <button type="button" className="brand" onClick={() => setView({ name: 'list' })}>
            Leadline
          </button>
          <button
            type="button"
            className="button button-quiet"
            aria-label="Settings"
            onClick={() => setView({ name: 'settings' })}
          >
            ⚙
          </button>
        </nav>
        {view.name === 'list' && (
          <LeadList onOpen={(id) => setView({ name: 'lead', id })} onAdd={() => setView({ name: 'new' })} />
        )}
        {view.name === 'new' && (
          <LeadForm
            onSaved={(lead) => setView({ name: 'lead', id: lead.id })}
            onOpenExisting={(id) => setView({ name: 'lead', id })}
            onCancel={() => setView({ name: 'list' })}
          />
        )}
        {view.name === 'lead' && (
          <LeadDetail
            id={view.id}
            onBack={() => setView({ name: 'list' })}
            onDeleted={() => setView({ name: 'list' })}
          />
        )}
      </main>
    </ApiProvider>
  );
}
