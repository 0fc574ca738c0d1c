import { browser } from 'wxt/browser';
import { setupOutboxDraining } from '@/utils/outbox-background';
import { setupCaptureTracking, setupPanelOpening } from '@/utils/panel';
import { setupTaskBadge } from '@/utils/task-badge';

export default defineBackground(() => {
  setupPanelOpening(browser);
  setupCaptureTracking(browser);
  setupOutboxDraining(browser);
  setupTaskBadge(browser);
});
