import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks, not threads: the Temporal worker's native core and PostgreSQL pools behave best one process each.
    pool: 'forks',
    // Two cores on CI; every test file shares the one PostgreSQL and Temporal server from the global setup.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
