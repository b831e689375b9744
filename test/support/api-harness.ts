import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { inject } from 'vitest';
import { buildApp, type AppDeps } from '../../api/app';
import { createPool } from '../../config/database';
import type { NotificationConfig } from '../../config/notifications';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { createStayWorker } from '../../worker/stay-worker';
import { testPool } from './database';
import { testLogger } from './test-logs';
import { workflowBundle } from './workflow-bundle';

export type Harness = Awaited<ReturnType<typeof startApiHarness>>;

/**
 * The real API on the real Temporal dev server and PostgreSQL from the global setup, with a real worker
 * on a task queue of its own (so parallel test files never pick up each other's workflows).
 */
export async function startApiHarness(
  opts: {
    withWorker?: boolean;
    requestTimeoutMs?: number;
    app?: Pick<
      AppDeps,
      'ui' | 'devLogin' | 'logger' | 'oidc' | 'temporalUiUrl' | 'secretBox' | 'failedLoginsPerMinute'
    > &
      Partial<Pick<AppDeps, 'interpretations'>>;
    rateLimitPerMinute?: number;
    /** Encrypt payloads between API, Temporal and worker, as the embedded default does. */
    payloadCodec?: PayloadCodec;
    /**
     * Another database (or another login) than the global setup's: an isolated one, for tests that run the
     * notification dispatcher, or the app's least-privilege role.
     */
    databaseUrl?: string;
    /** SMTP and links of the worker's notification activities. */
    notifications?: NotificationConfig;
  } = {},
) {
  const taskQueue = `api-${randomUUID()}`;
  const address = inject('temporalAddress');
  const pool: Pool = opts.databaseUrl ? createPool(opts.databaseUrl, 5) : testPool();
  const connection = await Connection.connect({ address });
  const dataConverter = opts.payloadCodec ? { payloadCodecs: [opts.payloadCodec] } : undefined;
  const client = new Client({ connection, namespace: 'default', ...(dataConverter ? { dataConverter } : {}) });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  if (opts.withWorker !== false) {
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createStayWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      pool,
      workflowBundle: await workflowBundle(),
      payloadCodec: opts.payloadCodec,
      notifications: opts.notifications,
      // One thread, not the SDK's two: a test file drives a few stays at a time, and each thread's start (the SDK's
      // protobufs, the bundle) cost ~0.2 s of CPU for each of the suite's ~60 workers.
      workflowThreadPoolSize: 1,
    });
    workerRun = worker.run();
  }
  const app = await buildApp({
    client,
    pool,
    namespace: 'default',
    taskQueue,
    jwtSecret: 'test-secret-test-secret-test-secret',
    requestTimeoutMs: opts.requestTimeoutMs ?? 15_000,
    interpretations: DEFAULT_INTERPRETATIONS,
    rateLimitPerMinute: opts.rateLimitPerMinute,
    payloadCodec: opts.payloadCodec,
    // every test API logs as production does; the global teardown greps the whole run's logs for personal values
    logger: testLogger('api'),
    ...opts.app,
  });
  await app.ready();

  const token = (role: 'institution' | 'bydel' | 'admin', org?: string, sub = `user-${role}`) =>
    app.jwt.sign(org ? { sub, role, org } : { sub, role });

  return {
    app,
    pool,
    client,
    taskQueue,
    token,
    auth: (role: 'institution' | 'bydel' | 'admin', org?: string) => ({ authorization: `Bearer ${token(role, org)}` }),
    async close() {
      await app.close();
      if (worker) {
        worker.shutdown();
        await workerRun;
      }
      await nativeConnection?.close();
      await connection.close();
      await pool.end();
    },
  };
}
