import type { browser } from 'wxt/browser';
import { createApiClient, unwrap } from './api';
import { onMessage } from './messaging';
import { settingsItem } from './settings';

export const TASK_BADGE_ALARM = 'leadline-task-badge';

/** The text of the toolbar badge for a number of tasks due today (overdue included). */
export function badgeText(due: number): string {
  if (due <= 0) return '';
  return due > 99 ? '99+' : String(due);
}

/**
 * The count on the toolbar icon: the rep's tasks due today, read every minute by the background,
 * and at once when the panel says a task changed. A failure leaves the last count (the API may
 * be down for a moment).
 */
export function setupTaskBadge(api: typeof browser) {
  // MV3 calls the toolbar button `action`, the Firefox MV2 build `browserAction`.
  const button = api.action ?? (api as unknown as { browserAction: typeof api.action }).browserAction;
  const refresh = async () => {
    const settings = await settingsItem.getValue();
    if (!settings) return button.setBadgeText({ text: '' });
    try {
      const due = await unwrap(
        createApiClient(settings).tasks.$get({ query: { assignee: 'me', due: 'today', limit: '1' } }),
      );
      await button.setBadgeBackgroundColor({ color: due.overdue > 0 ? '#b42318' : '#3b5bdb' });
      await button.setBadgeText({ text: badgeText(due.total) });
    } catch {
      // Unreachable or refused: the next minute tries again.
    }
  };
  api.alarms.create(TASK_BADGE_ALARM, { periodInMinutes: 1 });
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === TASK_BADGE_ALARM) void refresh();
  });
  api.runtime.onStartup.addListener(() => void refresh());
  settingsItem.watch(() => void refresh());
  onMessage('refreshTaskBadge', () => refresh());
  void refresh();
}
