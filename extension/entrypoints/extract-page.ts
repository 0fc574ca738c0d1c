import { repProfileItem } from '@/utils/capture';
import { extractDocument, extractOptions } from '@/utils/extract-dom';

/**
 * Injected on demand (activeTab + scripting) into pages that get no content script: the result of
 * the returned promise is what `scripting.executeScript` hands back.
 */
export default defineUnlistedScript(async () => {
  const profile = await repProfileItem.getValue();
  return extractDocument(
    document,
    location.href,
    extractOptions(profile, document.getSelection()?.toString()),
  );
});
