import { runContentCapture } from '@/utils/content-capture';

export default defineContentScript({
  matches: ['https://www.linkedin.com/*'],
  runAt: 'document_idle',
  main(ctx) {
    runContentCapture(ctx);
  },
});
