import { defineConfig } from 'vitest/config';

// The fast tier (`npm run test:unit`): the tests that need no server (rules, the stay's fold, schemas and forms,
// configuration, replay of the recorded histories), so there is no global setup starting PostgreSQL and Temporal.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.int.test.ts'],
    // Forks, as in vitest.config.ts: the replay test loads Temporal's native core.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
