import { storage } from 'wxt/utils/storage';
import type { PageCapture } from './messaging';

/** The latest capture per tab, for this browser session only (pages are not kept once closed). */
export const capturesItem = storage.defineItem<Record<string, PageCapture>>('session:captures', {
  fallback: {},
  version: 1,
});

/** The web page tab the rep looked at last (extension pages excluded): the panel shows its capture. */
export const activeTabItem = storage.defineItem<number | null>('session:activeTabId', {
  fallback: null,
  version: 1,
});

/** Who the rep is, so their own address and colleagues are never offered as leads. */
export interface RepProfile {
  email: string | null;
  domains: string[];
}

export const repProfileItem = storage.defineItem<RepProfile | null>('local:repProfile', {
  fallback: null,
  version: 1,
});

const MAX_CAPTURES = 50;

export async function saveCapture(capture: PageCapture) {
  const captures = await capturesItem.getValue();
  captures[String(capture.tabId)] = capture;
  const keys = Object.keys(captures);
  // A long day opens many tabs: keep the newest.
  if (keys.length > MAX_CAPTURES) {
    keys
      .sort((a, b) => captures[a]!.capturedAt - captures[b]!.capturedAt)
      .slice(0, keys.length - MAX_CAPTURES)
      .forEach((key) => {
        delete captures[key];
      });
  }
  await capturesItem.setValue(captures);
}

export async function forgetCapture(tabId: number) {
  const captures = await capturesItem.getValue();
  if (!(String(tabId) in captures)) return;
  delete captures[String(tabId)];
  await capturesItem.setValue(captures);
}
