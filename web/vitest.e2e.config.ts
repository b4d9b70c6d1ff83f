import { defineConfig } from 'vitest/config';

// End-to-end tests: a real `gmao serve` (started by e2e/global-setup.ts) driven through Debian's
// Chromium with playwright-core. One worker, tests in file order: they tell one story.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
