import type { browser } from 'wxt/browser';
import { activeTabItem, capturesItem, forgetCapture, saveCapture } from './capture';
import type { PageReading } from './extract-dom';
import { type CaptureOutcome, onMessage, type PageCapture, sendMessage } from './messaging';

type BrowserApi = typeof browser;

/** Firefox's sidebar, which Chrome's typings do not describe. */
interface FirefoxPanelApi {
  sidebarAction?: { open(): Promise<void> };
}

/**
 * The toolbar button (and its shortcut) opens Leadline and captures the page. The click is what
 * grants `activeTab`, so the panel opens from the click handler itself (Chrome insists on a user
 * gesture) and the page is read right after.
 */
export function setupPanelOpening(api: BrowserApi) {
  void api.sidePanel?.setPanelBehavior?.({ openPanelOnActionClick: false }).catch(() => undefined);
  const action = api.action ?? api.browserAction;
  action?.onClicked.addListener((tab) => {
    const firefox = (api as BrowserApi & FirefoxPanelApi).sidebarAction;
    if (api.sidePanel?.open && tab.id !== undefined)
      void api.sidePanel.open({ tabId: tab.id }).catch(() => undefined);
    else void firefox?.open().catch(() => undefined);
    if (tab.id === undefined) return;
    void activeTabItem.setValue(tab.id);
    void captureTab(api, tab.id);
  });
}

/**
 * Reads a tab: through its content script where there is one (LinkedIn, web mail), otherwise by
 * injecting the extractor once, which `activeTab` allows after the rep clicked Leadline.
 */
export async function captureTab(api: BrowserApi, tabId: number): Promise<CaptureOutcome> {
  let reading: PageReading | undefined;
  let via: PageCapture['via'] = 'content-script';
  try {
    reading = await sendMessage('extractPage', undefined, tabId);
  } catch {
    via = 'on-demand';
    try {
      const [injection] = await api.scripting.executeScript({
        target: { tabId },
        files: ['/extract-page.js'],
      });
      reading = injection?.result as PageReading | undefined;
    } catch (error) {
      return { ok: false, reason: 'no-access', message: noAccessMessage(error) };
    }
  }
  if (!isReading(reading)) {
    return { ok: false, reason: 'failed', message: 'The page could not be read.' };
  }
  const capture = captureOf(tabId, reading, via);
  await saveCapture(capture);
  return { ok: true, capture };
}

/**
 * What the rep can do when the browser refused to let Leadline read the tab, instead of the
 * browser's own words ("Cannot access contents of the page...").
 */
export function noAccessMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (/chrome:\/\/|chrome-extension:|about:|edge:\/\/|gallery|webstore|cannot be scripted/i.test(raw)) {
    return 'Browser pages (settings, new tab, the extension store) cannot be read. Open the person’s web page and capture it there.';
  }
  return 'Leadline may read a page only once you allow it: click the Leadline button in the toolbar on this page (or press Alt+Shift+L). That gives it access to this tab; then click “Capture this page” again.';
}

function isReading(value: PageReading | undefined): value is PageReading {
  if (!value) return false;
  return value.ok ? Array.isArray(value.result?.leads) : typeof value.error === 'string';
}

/** A tab's capture from what reading it came to; an unreadable page is kept as such, with nobody on it. */
export function captureOf(tabId: number, reading: PageReading, via: PageCapture['via']): PageCapture {
  const capturedAt = Date.now();
  if (reading.ok) return { tabId, result: reading.result, capturedAt, via };
  return {
    tabId,
    result: { pageKind: 'web', leads: [], source: { channel: 'web', url: reading.url } },
    capturedAt,
    via,
    unreadable: reading.error,
  };
}

/** Keeps the captures and the "current page" in step with the rep's tabs. */
export function setupCaptureTracking(api: BrowserApi) {
  const ownOrigin = api.runtime.getURL('/');
  api.tabs.onActivated.addListener(async ({ tabId }) => {
    const tab = await api.tabs.get(tabId).catch(() => null);
    // Without host permissions a web page's URL is hidden; the extension's own pages are not.
    if (tab && !tab.url?.startsWith(ownOrigin)) await activeTabItem.setValue(tabId);
  });
  api.tabs.onRemoved.addListener((tabId) => void forgetCapture(tabId));
  api.tabs.onUpdated.addListener((tabId, change) => {
    // A full navigation makes an on-demand capture stale; content scripts report the new page themselves.
    if (change.status === 'loading') {
      void capturesItem.getValue().then((captures) => {
        if (captures[String(tabId)]?.via === 'on-demand') void forgetCapture(tabId);
      });
    }
  });
  onMessage('reportCapture', async ({ data, sender }) => {
    const tabId = sender.tab?.id;
    if (tabId === undefined) return;
    await saveCapture(captureOf(tabId, data, 'content-script'));
    if (sender.tab?.active) await activeTabItem.setValue(tabId);
  });
  onMessage('captureActiveTab', async () => {
    const tabId = await activeTabItem.getValue();
    if (tabId === null) return { ok: false, reason: 'no-tab', message: 'Open a page to capture.' } as const;
    return captureTab(api, tabId);
  });
}
