import { activeTabItem, capturesItem } from '@/utils/capture';
import { useStorageItem } from './use-storage-item';

/** The capture of the tab the rep is on, kept current as tabs change and pages report. */
export function useCurrentCapture() {
  const tabId = useStorageItem(activeTabItem);
  const captures = useStorageItem(capturesItem);
  return { tabId, capture: tabId == null ? undefined : captures?.[String(tabId)] };
}
