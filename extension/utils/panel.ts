import type { browser } from 'wxt/browser';

type BrowserApi = typeof browser;

/** Firefox's sidebar and MV2 browser action, which Chrome's typings do not describe. */
interface FirefoxPanelApi {
  sidebarAction?: { toggle(): Promise<void> };
}

/**
 * Makes the toolbar button open Leadline: Chrome's side panel opens itself on click; Firefox's
 * sidebar is toggled from the (MV2) browser action.
 */
export async function setupPanelOpening(api: BrowserApi) {
  if (api.sidePanel?.setPanelBehavior) {
    await api.sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
    return;
  }
  const action = api.action ?? api.browserAction;
  action?.onClicked.addListener(() => {
    void (api as BrowserApi & FirefoxPanelApi).sidebarAction?.toggle();
  });
}
