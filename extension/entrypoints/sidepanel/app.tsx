import { useState } from 'react';
import { browser } from 'wxt/browser';
import { ApiProvider } from '@/components/api-context';
import { AssignedBadge } from '@/components/assigned-badge';
import { AwayStatus } from '@/components/away-status';
import { LeadDetail } from '@/components/lead-detail';
import { LeadForm } from '@/components/lead-form';
import { LeadList, type Whose } from '@/components/lead-list';
import { LiveProvider } from '@/components/live-context';
import { MeProvider } from '@/components/me-context';
import { OpenSettingsContext } from '@/components/open-settings';
import { OutboxBanner } from '@/components/outbox-banner';
import { PageCaptureView } from '@/components/page-capture';
import { SettingsView } from '@/components/settings-view';
import { Today } from '@/components/tasks/today';
import { useStorageItem } from '@/hooks/use-storage-item';
import { useTodayCount } from '@/hooks/use-tasks';
import { createOutbox } from '@/utils/outbox';
import { type Settings, settingsItem } from '@/utils/settings';

type Back = 'page' | 'hot' | 'today';
type View = { name: Back | 'new' | 'settings'; whose?: Whose } | { name: 'lead'; id: string; back: Back };

const TABS = [
  { name: 'page', label: 'This page' },
  { name: 'today', label: 'Today' },
  { name: 'hot', label: 'Hot leads' },
  { name: 'new', label: 'Add' },
] as const;

/** The top bar's count of tasks due today (overdue included; red when some are overdue). */
function TodayCount() {
  const count = useTodayCount();
  if (!count || count.total === 0) return null;
  return (
    <span
      className={count.overdue > 0 ? 'tab-count tab-count-overdue' : 'tab-count'}
      data-testid="today-count"
      title={`${count.total} due today, ${count.overdue} overdue`}
    >
      {count.total}
    </span>
  );
}

export function App() {
  const settings = useStorageItem(settingsItem);
  const [view, setView] = useState<View>({ name: 'page' });

  if (settings === undefined) return <main className="app" aria-busy="true" />;

  async function save(next: Settings) {
    await settingsItem.setValue(next);
    // A new token or URL may cure what the API refused before.
    await createOutbox()
      .retryAll()
      .catch(() => undefined);
    setView({ name: 'page' });
  }

  if (settings === null || view.name === 'settings') {
    return (
      <main className="app">
        <SettingsView
          initial={settings}
          onSave={save}
          onCancel={settings ? () => setView({ name: 'page' }) : undefined}
        />
      </main>
    );
  }

  const current = view.name === 'lead' ? view.back : view.name;
  const openLead = (back: Back) => (id: string) => setView({ name: 'lead', id, back });

  return (
    <OpenSettingsContext.Provider value={() => setView({ name: 'settings' })}>
      <ApiProvider settings={settings}>
        <MeProvider>
          <LiveProvider settings={settings}>
            <main className="app">
              <nav className="topbar" aria-label="Leadline">
                <div className="tabs" role="tablist" aria-label="Views">
                  {TABS.map((tab) => (
                    <button
                      key={tab.name}
                      type="button"
                      role="tab"
                      aria-selected={current === tab.name}
                      className="tab"
                      onClick={() => setView({ name: tab.name })}
                    >
                      {tab.label}
                      {tab.name === 'today' && <TodayCount />}
                    </button>
                  ))}
                </div>
                <div className="row">
                  <AssignedBadge onOpen={() => setView({ name: 'hot', whose: 'new' })} />
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      void browser.tabs.create({ url: browser.runtime.getURL('/dashboard.html') })
                    }
                  >
                    Dashboard
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-label="Settings"
                    title="Settings"
                    onClick={() => setView({ name: 'settings' })}
                  >
                    ⚙
                  </button>
                </div>
              </nav>
              <OutboxBanner />
              <AwayStatus />
              {view.name === 'page' && <PageCaptureView onOpenLead={openLead('page')} />}
              {view.name === 'today' && <Today onOpenLead={openLead('today')} />}
              {view.name === 'hot' && (
                <LeadList
                  onOpen={openLead('hot')}
                  onAdd={() => setView({ name: 'new' })}
                  initialWhose={view.whose}
                />
              )}
              {view.name === 'new' && (
                <LeadForm
                  onSaved={(lead) => setView({ name: 'lead', id: lead.id, back: 'hot' })}
                  onOpenExisting={openLead('hot')}
                  onCancel={() => setView({ name: 'hot' })}
                />
              )}
              {view.name === 'lead' && (
                <LeadDetail
                  id={view.id}
                  onBack={() => setView({ name: view.back })}
                  onDeleted={() => setView({ name: view.back })}
                />
              )}
            </main>
          </LiveProvider>
        </MeProvider>
      </ApiProvider>
    </OpenSettingsContext.Provider>
  );
}
