import { runContentCapture } from '@/utils/content-capture';

export default defineContentScript({
  matches: [
    'https://mail.google.com/*',
    'https://outlook.office.com/*',
    'https://outlook.office365.com/*',
    'https://outlook.live.com/*',
    'https://outlook.cloud.microsoft/*',
  ],
  runAt: 'document_idle',
  main(ctx) {
    runContentCapture(ctx);
  },
});
