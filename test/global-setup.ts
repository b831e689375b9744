import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../migrations/run';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { startTemporalDevServer } from '../stack/temporal-dev-server';
import { stayWorkflowBundleOptions } from '../worker/stay-worker';
import { getFreePort } from '../stack/free-port';
import { makeTempDir, removeTempDir } from '../stack/temp-dir';
import { clearTestLogs, personalValuesInTestLogs, TEST_LOG_DIR } from './support/test-logs';

type Teardown = () => Promise<void> | void;

/**
 * One PostgreSQL and one Temporal dev server for the whole run, shared by every test file (tests isolate
 * themselves with their own task queues and ids). TEST_DATABASE_URL / TEST_TEMPORAL_ADDRESS use existing ones.
 */
export default async function setup(project: TestProject): Promise<Teardown> {
  const dir = makeTempDir('stays-test');
  clearTestLogs();
  const teardowns: Teardown[] = [
    // Runs last (teardowns run in reverse), once everything has stopped: a personal value in any log line of the
    // whole run fails the run.
    () => {
      const found = personalValuesInTestLogs();
      if (found.length > 0) {
        throw new Error(
          `Personal data in the logs of this test run (${TEST_LOG_DIR}):\n  ${found.slice(0, 20).join('\n  ')}`,
        );
      }
      console.log(`logs of the run checked for personal values: none found (${TEST_LOG_DIR})`);
    },
    () => removeTempDir(dir),
  ];
  const teardown = async () => {
    for (const step of teardowns.reverse()) await step();
  };

  try {
    // Independent and each a few seconds, so in parallel; allSettled so that whatever did start gets stopped.
    const [databaseUrl, temporalAddress, workflowBundlePath] = await settleAll([
      startDatabase(dir, teardowns),
      startTemporal(teardowns),
      buildWorkflowBundle(dir),
    ]);
    project.provide('databaseUrl', databaseUrl);
    project.provide('temporalAddress', temporalAddress);
    project.provide('workflowBundlePath', workflowBundlePath);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

async function startDatabase(dir: string, teardowns: Teardown[]): Promise<string> {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(dir, 'postgres'),
      port: 0,
      user: 'stays_test',
      password: 'stays_test',
      database: 'stays_test',
    });
    teardowns.push(() => postgres.stop());
    url = postgres.url;
  }
  await runMigrations(url);
  return url;
}

async function startTemporal(teardowns: Teardown[]): Promise<string> {
  if (process.env.TEST_TEMPORAL_ADDRESS) return process.env.TEST_TEMPORAL_ADDRESS;
  const temporal = await startTemporalDevServer({ port: await getFreePort(), headless: true });
  teardowns.push(() => temporal.stop());
  return temporal.address;
}

/** Once per run instead of once per test file; a workflow importing something non-deterministic fails here. */
async function buildWorkflowBundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    ...stayWorkflowBundleOptions,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message) => console.error(message) },
  });
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
