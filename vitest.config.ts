import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Bounds every fast-check property, in every project (see the file). */
const setupFiles = [fileURLToPath(new URL('./test/support/property-limits.ts', import.meta.url))];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: './shared', include: ['src/**/*.test.ts'], setupFiles } },
      // Property tests run many requests against a real database file: give them room on a busy machine.
      {
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts'],
          testTimeout: 30_000,
          setupFiles,
        },
      },
      { test: { name: 'scripts', root: './scripts', include: ['**/*.test.ts'], setupFiles } },
      './extension/vitest.config.ts',
      {
        test: {
          name: 'e2e',
          root: './test',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          setupFiles,
        },
      },
    ],
  },
});
