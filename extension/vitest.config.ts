import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// WxtVitest gives tests what the extension's build gives the code: `browser` as an in-memory
// fakeBrowser, auto-imports and the `@/` paths.
export default defineProject({
  // WXT looks for wxt.config.ts in the working directory, which is the repo root under `vitest --project`.
  plugins: [WxtVitest({ root: fileURLToPath(new URL('.', import.meta.url)) })],
  test: {
    name: 'extension',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.output/**', '.wxt/**'],
    // Bounds every fast-check property (see the file).
    setupFiles: [fileURLToPath(new URL('../test/support/property-limits.ts', import.meta.url))],
  },
});
