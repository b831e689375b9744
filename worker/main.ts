// `npm run worker`: one worker process for the stay task queue. Run as many as the load needs (README "Scale");
// they share the work through Temporal's task queue, and any of them may die at any moment without losing a stay.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel, type Worker } from '@temporalio/worker';
import { createPool } from '../config/database';
import { loadConfig } from '../config/env';
import { loadPayloadEncryption, type PayloadEncryption } from '../config/payload-codec';
import { describeTemporalAuth, temporalConnectionOptions } from '../config/temporal-connection';
import { loadNotificationConfig } from '../config/notifications';
import { createLogger } from '../config/logging';
import { webhookPolicyOf } from '../config/webhook-target';
import { loadAccessLogRetentionDays, loadRetentionDays, IDEMPOTENCY_KEY_RETENTION_DAYS } from '../rules/retention';
import { ensureForecastDigest } from './forecast-digest';
import { ensureNotificationDispatcher } from './notification-dispatcher';
import { ensureRetentionSweep } from './retention-sweep';
import { createStayWorker } from './stay-worker';
import { resolveWorkflowSource } from './workflow-bundle';

let config: ReturnType<typeof loadConfig>;
let encryption: PayloadEncryption;
try {
  config = loadConfig();
  // Refused outside the embedded stack without a key ring: Temporal would store health data in the clear.
  encryption = loadPayloadEncryption(config);
} catch (err) {
  createLogger('info', 'worker').fatal(`worker refuses to start: ${(err as Error).message}`);
  process.exit(1);
}
const log = createLogger(config.logLevel, 'worker');
if (encryption.state.payloadEncryption === 'OFF' && !config.embeddedStack)
  log.warn('ALLOW_UNENCRYPTED_PAYLOADS=true: payloads go to Temporal UNENCRYPTED (a migration only)');
else if (encryption.state.acceptsUnencrypted && !config.embeddedStack)
  log.warn('ALLOW_UNENCRYPTED_PAYLOADS=true: payloads that are not encrypted are still read (a migration only)');

// SDK, workflow and activity logs all go to the one app logger.
const sdkLevel =
  (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((l) => l === config.logLevel.toUpperCase()) ?? 'INFO';
Runtime.install({
  logger: new DefaultLogger(sdkLevel as LogLevel, (entry) => {
    const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    log[level]({ ...(entry.meta ?? {}), sdk: true }, entry.message);
  }),
  // Temporal SDK Core's own metrics (workflow/activity task latencies, slots, sticky cache, polls) as Prometheus
  // text at http://WORKER_METRICS_ADDRESS/metrics, served by Core itself.
  ...(config.workerMetricsAddress
    ? {
        telemetryOptions: {
          metrics: { prometheus: { bindAddress: config.workerMetricsAddress }, globalTags: { service: 'stay-worker' } },
        },
      }
    : {}),
  // We drain on signals ourselves (below), so that the log says what happens and the process exits when done.
  shutdownSignals: [],
});

async function start(): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const source = resolveWorkflowSource(config.workflowBundlePath);
  if (source.kind === 'bundle') {
    log.info(
      { bundle: source.path, sdkVersion: source.manifest.sdkVersion, builtAt: source.manifest.builtAt },
      'using prebuilt workflow bundle',
    );
  } else {
    log.info({ reason: source.reason }, 'bundling workflows/ at start-up (development)');
  }
  const pool = createPool(config.databaseUrl, config.pgPoolMax ?? 5);
  const connectionOptions = temporalConnectionOptions(config.temporalAddress, config.temporalAuth);
  const connection = await NativeConnection.connect(connectionOptions);
  // The retention sweep asks Temporal which stay workflows still run; the client encrypts like every other one.
  const clientConnection = await Connection.connect(connectionOptions);
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporalNamespace,
    ...(encryption.codec ? { dataConverter: { payloadCodecs: [encryption.codec] } } : {}),
  });
  const worker = await createStayWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    pool,
    notifications: { ...loadNotificationConfig(), secrets: encryption.secretBox, webhooks: webhookPolicyOf(config) },
    payloadCodec: encryption.codec,
    retentionSweep: {
      temporal: client,
      retentionDays: loadRetentionDays(process.env),
      accessLogRetentionDays: loadAccessLogRetentionDays(process.env),
      idempotencyKeyRetentionDays: IDEMPOTENCY_KEY_RETENTION_DAYS,
    },
    identity: `stay-worker@${process.pid}`,
    ...(source.kind === 'bundle' ? { workflowBundle: { code: source.code } } : {}),
    shutdownGraceTime: config.shutdownGraceMs,
    ...config.workerTuning,
  });
  const dispatcher = await ensureNotificationDispatcher({
    connectionOptions,
    payloadCodec: encryption.codec,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
  });
  log.info({ workflowId: dispatcher }, 'notification dispatcher running');
  log.info({ workflowId: await ensureRetentionSweep(client, config.taskQueue) }, 'retention sweep running');
  log.info({ workflowId: await ensureForecastDigest(client, config.taskQueue) }, 'weekly forecast digest running');
  log.info(
    {
      taskQueue: config.taskQueue,
      namespace: config.temporalNamespace,
      temporal: config.temporalAddress,
      auth: describeTemporalAuth(connectionOptions),
      metrics: config.workerMetricsAddress ?? 'off',
      stack: config.embeddedStack ? 'embedded (development)' : 'production',
      ...encryption.state,
    },
    'worker started',
  );
  return {
    worker,
    close: async () => {
      await clientConnection.close();
      await connection.close();
      await pool.end();
    },
  };
}

let started: Awaited<ReturnType<typeof start>>;
try {
  started = await start();
} catch (err) {
  // The message says what to fix (a refused bundle, an unreachable server); a stack trace would bury it.
  log.fatal(`worker could not start: ${(err as Error).message}`);
  process.exit(1);
}

let signals = 0;
const drain = (signal: NodeJS.Signals) => {
  signals += 1;
  if (signals > 1) {
    log.warn(
      { signal },
      'second signal: exiting without waiting for in-flight tasks (Temporal retries them elsewhere)',
    );
    process.exit(1);
  }
  // No new tasks are polled from here on; in-flight activities get SHUTDOWN_GRACE_MS to finish, and cached
  // workflows are released so another worker picks them up from their history.
  log.info({ signal, graceMs: config.shutdownGraceMs }, 'worker draining');
  started.worker.shutdown();
};
process.on('SIGTERM', drain);
process.on('SIGINT', drain);

try {
  await started.worker.run();
} catch (err) {
  log.fatal({ err }, 'worker failed');
  await started.close().catch(() => {});
  process.exit(1);
}
await started.close();
log.info('worker stopped');
