import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { buildApp, type AppDeps } from '../../api/app';
import { createPool } from '../../config/database';
import { AesGcmPayloadCodec } from '../../config/payload-codec';
import { runMigrations } from '../../migrations/run';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { startEmbeddedPostgres } from '../../stack/embedded-postgres';
import { startTemporalDevServer } from '../../stack/temporal-dev-server';
import { getFreePort } from '../../stack/free-port';
import { createStayWorker, stayWorkflowBundleOptions, type StayWorkerOptions } from '../../worker/stay-worker';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

export type BenchWorkerOptions = Pick<
  StayWorkerOptions,
  | 'notifications'
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
  | 'maxConcurrentLocalActivityExecutions'
  | 'reuseV8Context'
  | 'stickyQueueScheduleToStartTimeout'
>;

/** Worker tuning under test: BENCH_WORKER='{"reuseV8Context":false}' (JSON of BenchWorkerOptions), else defaults. */
export const benchWorkerOptions = (): BenchWorkerOptions =>
  process.env.BENCH_WORKER ? (JSON.parse(process.env.BENCH_WORKER) as BenchWorkerOptions) : {};

/** The bydel the benchmarks' stays name: registered once, as an administrator does (stays name only registered bydeler). */
export const BENCH_BYDEL = 'bydel-bench';

export async function registerBenchBydel(base: string, adminToken: string): Promise<void> {
  const res = await fetch(`${base}/api/organisations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: BENCH_BYDEL, kind: 'bydel', name: 'Bydel Benchmark' }),
  });
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`registering ${BENCH_BYDEL}: ${res.status} ${await res.text()}`);
}

/**
 * The embedded stack in one process for a benchmark: PostgreSQL and the Temporal dev server in a temp dir, a
 * migrated database, one stay worker and the API listening on a free port. `stop()` removes everything.
 */
export async function startBenchStack(opts: {
  name: string;
  taskQueue: string;
  /** Work before the worker starts (e.g. notification settings it must see). */
  beforeWorker?: (pool: Pool) => Promise<void>;
  worker?: BenchWorkerOptions;
  app?: Pick<AppDeps, 'ui'>;
  /** Connections of the one pool the in-process API and worker share (default 20). */
  pgPoolMax?: number;
  /** Encrypt payloads as `npm start` does (default true: a fresh key for this run). */
  encrypt?: boolean;
}) {
  const dir = mkdtempSync(join(tmpdir(), `${opts.name}-`));
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as the OS user "postgres" when we are root
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: 0,
    user: 'bench',
    password: 'bench',
    database: 'bench',
  });
  const temporal = await startTemporalDevServer({ port: await getFreePort(), headless: true });
  await runMigrations(pg.url);
  const pool = createPool(pg.url, opts.pgPoolMax ?? 20);
  const payloadCodec =
    opts.encrypt === false ? undefined : new AesGcmPayloadCodec(new Map([['bench', randomBytes(32)]]), 'bench');
  const dataConverter = payloadCodec ? { payloadCodecs: [payloadCodec] } : undefined;
  await opts.beforeWorker?.(pool);
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createStayWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    pool,
    payloadCodec,
    ...opts.worker,
    workflowBundle: await bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quiet }),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, ...(dataConverter ? { dataConverter } : {}) });
  const app = await buildApp({
    client,
    pool,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    jwtSecret: 'bench-secret-bench-secret-bench',
    requestTimeoutMs: 30_000,
    interpretations: DEFAULT_INTERPRETATIONS,
    // a benchmark is one user hammering the API: it must not measure the rate limiter
    rateLimitPerMinute: 1_000_000,
    payloadCodec,
    ...opts.app,
  });
  const port = await getFreePort();
  await app.listen({ port, host: '127.0.0.1' });
  await registerBenchBydel(
    `http://127.0.0.1:${port}`,
    app.jwt.sign({ sub: 'bench-admin', role: 'admin' }, { expiresIn: '1h' }),
  );
  return {
    pool,
    client,
    nativeConnection,
    dataConverter,
    app,
    base: `http://127.0.0.1:${port}`,
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await pool.end();
      await temporal.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The p-th percentile (nearest rank). */
export const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
