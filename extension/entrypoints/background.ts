import { browser } from 'wxt/browser';
import { setupPanelOpening } from '@/utils/panel';

export default defineBackground(() => {
  void setupPanelOpening(browser);
});
