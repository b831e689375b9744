import { defineConfig } from 'vitest/config';

// The fast tier (`npm run test:unit`): the rules, the stay's fold and checks, the schemas and the forms built from
// them, configuration. No global setup (no PostgreSQL, no Temporal); `npm test` runs these and everything else.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/**/*.int.test.ts',
      // Not fast, though they need no server: replaying every recorded history bundles the workflows first, and
      // these start processes of their own (the token script, a worker refusing a stale bundle).
      'test/workflows/stay/replay.test.ts',
      'test/scripts/**',
      'test/production/workflow-bundle.test.ts',
    ],
    // Forks, as in vitest.config.ts: tests that load the workflow code load Temporal's native core.
    pool: 'forks',
    maxWorkers: 2,
    // These tests are pure (no servers, no module-level state they change), so the files of one worker share its
    // module cache instead of each importing zod, luxon, the rules and the schemas again: about 3× faster on a busy
    // machine. `npm test` keeps isolation for the integration tests.
    isolate: false,
    testTimeout: 60_000,
  },
});
