import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../../activities';
import { testPool } from './database';
import { createTimeSkippingEnv } from '../../stack/time-skipping';
import { workflowBundle } from './workflow-bundle';

/** A time-skipping server with one real worker (real activities on the test database) running on its own task queue. */
export async function startTimeSkippingStack(name: string) {
  const env: TestWorkflowEnvironment = await createTimeSkippingEnv();
  const pool: Pool = testPool();
  const taskQueue = `${name}-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ pool }),
  });
  const running = worker.run();
  return {
    env,
    pool,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await pool.end();
    },
  };
}
