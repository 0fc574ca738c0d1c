import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { repProfileItem } from './capture';
import { extractDocument, extractOptions } from './extract-dom';
import { onMessage, sendMessage } from './messaging';

const SETTLE_MS = 600;

/**
 * What the LinkedIn and web-mail content scripts do: extract when the page has settled, again after
 * an in-page navigation or when the page's content changes (LinkedIn and Gmail render late and
 * navigate without reloading), and on the background's request.
 */
export function runContentCapture(ctx: ContentScriptContext, doc: Document = document) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastReport = '';

  const extractNow = async () => {
    const profile = await repProfileItem.getValue();
    return extractDocument(doc, location.href, extractOptions(profile, doc.getSelection()?.toString()));
  };

  const report = async () => {
    const reading = await extractNow();
    const fingerprint = JSON.stringify(reading);
    if (fingerprint === lastReport) return;
    lastReport = fingerprint;
    // An unreadable page is reported too: the panel says so instead of "nobody found".
    await sendMessage('reportCapture', reading);
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        void report().catch((error: unknown) =>
          // The background is away (an extension update) or storage failed: the next change reports again.
          console.error('Leadline: could not report this page', error),
        ),
      SETTLE_MS,
    );
  };

  schedule();
  ctx.addEventListener(window, 'wxt:locationchange', schedule);
  const observer = new MutationObserver(schedule);
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true });
  ctx.onInvalidated(() => {
    observer.disconnect();
    clearTimeout(timer);
  });
  const stop = onMessage('extractPage', () => extractNow());
  ctx.onInvalidated(stop);
}
