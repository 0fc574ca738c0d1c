import type { browser } from 'wxt/browser';
import { onMessage } from './messaging';
import { createOutbox, scheduleNextDrain } from './outbox';
import { OUTBOX_ALARM } from './outbox-state';

/**
 * The background's part of "nothing lost": it drains the outbox when the browser starts, when the
 * panel asks, and when the backoff alarm fires, so clicks queued while offline reach the API even
 * with the panel closed and after service-worker or browser restarts.
 */
export function setupOutboxDraining(api: typeof browser) {
  const outbox = createOutbox();
  const drain = async () => {
    try {
      const result = await outbox.drain();
      await scheduleNextDrain(result.nextAttemptAt, api.alarms);
    } catch {
      // A storage or lock failure: the next alarm or start tries again.
    }
  };
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void drain();
  });
  api.runtime.onStartup.addListener(() => void drain());
  api.runtime.onInstalled.addListener(() => void drain());
  onMessage('drainOutbox', () => drain());
  void drain();
}
