import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks, not threads: the Temporal worker's native core and PostgreSQL pools behave best one process each.
    pool: 'forks',
    // Two cores on CI, and three files at a time: the suite waits on servers, browsers and timers for a third of its
    // run (measured: ~1.3 cores busy with two at a time). Every file shares the global setup's PostgreSQL and Temporal.
    maxWorkers: 3,
    // Each fork runs many files with one module cache: importing Temporal's SDK, Fastify and the app once per fork
    // instead of once per file takes the suite from ~6 to ~3 minutes. Files stay independent through their own
    // servers, organisations and residents; none mocks modules or changes globals without restoring them.
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
