import { browser } from 'wxt/browser';
import { setupCaptureTracking, setupPanelOpening } from '@/utils/panel';

export default defineBackground(() => {
  setupPanelOpening(browser);
  setupCaptureTracking(browser);
});
