import type { PayloadCodec } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import type { RetentionSweepConfig } from '../activities/read-model/anonymise-stay';
import type { NotificationConfig } from '../config/notifications';

export const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

/**
 * How every bundle of the stay workflows is built (production, a worker bundling at start-up, tests, benchmarks).
 * Preloaded, once per sandbox before any workflow runs: workflows/sandbox-setup.ts, and the workflows with everything
 * they import. Without that, each new workflow evaluates every module again (its rules tables, zod schemas, luxon) —
 * ~15% of the worker's CPU per registration. Modules are shared, and frozen, across the workflows of a sandbox:
 * workflow code keeps no state at module level (only tables built at load and pure memos), as the SDK requires of
 * preloaded modules.
 */
export const stayWorkflowBundleOptions = {
  workflowsPath,
  preloadModules: [new URL('../workflows/sandbox-setup.ts', import.meta.url).pathname, workflowsPath],
};

export type StayWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** SMTP, links and fault injection of the notification activities (default: none configured, webhooks only). */
  notifications?: NotificationConfig;
  /** The nightly retention sweep (worker/main.ts starts it); unset = its activity is not registered. */
  retentionSweep?: RetentionSweepConfig;
  /** A prebuilt bundle (tests, production); otherwise the worker bundles `workflows/` at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Encrypts what Temporal stores (config/payload-codec.ts); unset = payloads in the clear. */
  payloadCodec?: PayloadCodec;
  /** Worker identity shown in Temporal (no personal data). */
  identity?: string;
  /** After shutdown() is called, how long in-flight activities may finish before they are cancelled (default 0). */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** Scale knobs (README "Scale"); unset = the SDK's defaults. */
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentLocalActivityExecutions?: number;
  /** Measured with `npm run bench` (README "Performance"); unset = the SDK's defaults. */
  reuseV8Context?: boolean;
  /** Threads running workflow code, each loading the SDK's protobufs and the bundle (SDK default 2). */
  workflowThreadPoolSize?: number;
  stickyQueueScheduleToStartTimeout?: WorkerOptions['stickyQueueScheduleToStartTimeout'];
};

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The stay worker: the stay workflow plus its activities, wired to the read-model database. */
export function createStayWorker(opts: StayWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.identity ? { identity: opts.identity } : {}),
    activities: createActivities({
      pool: opts.pool,
      notifications: opts.notifications,
      retentionSweep: opts.retentionSweep,
    }),
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath, bundlerOptions: { preloadModules: stayWorkflowBundleOptions.preloadModules } }),
    ...(opts.payloadCodec ? { dataConverter: { payloadCodecs: [opts.payloadCodec] } } : {}),
    ...defined({
      shutdownGraceTime: opts.shutdownGraceTime,
      maxCachedWorkflows: opts.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTaskExecutions,
      maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions,
      maxConcurrentLocalActivityExecutions: opts.maxConcurrentLocalActivityExecutions,
      reuseV8Context: opts.reuseV8Context,
      workflowThreadPoolSize: opts.workflowThreadPoolSize,
      stickyQueueScheduleToStartTimeout: opts.stickyQueueScheduleToStartTimeout,
    }),
  });
}
