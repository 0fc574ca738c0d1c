import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: './shared', include: ['src/**/*.test.ts'] } },
      // Property tests run many requests against a real database file: give them room on a busy machine.
      { test: { name: 'server', root: './server', include: ['src/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'scripts', root: './scripts', include: ['**/*.test.ts'] } },
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
        },
      },
    ],
  },
});
