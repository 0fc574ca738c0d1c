import { browser } from 'wxt/browser';
import { setupOutboxDraining } from '@/utils/outbox-background';
import { setupCaptureTracking, setupPanelOpening } from '@/utils/panel';

export default defineBackground(() => {
  setupPanelOpening(browser);
  setupCaptureTracking(browser);
  setupOutboxDraining(browser);
});
