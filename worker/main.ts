import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { createPool } from '../config/database';
import { loadConfig } from '../config/env';
import { createLogger } from './logger';
import { createStayWorker } from './stay-worker';

const config = loadConfig();
const log = createLogger(config.logLevel, 'worker');

// SDK, workflow and activity logs all go to the one app logger.
const sdkLevel = (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const).find((l) => l === config.logLevel.toUpperCase()) ?? 'INFO';
Runtime.install({
  logger: new DefaultLogger(sdkLevel as LogLevel, (entry) => {
    const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    log[level]({ ...(entry.meta ?? {}), sdk: true }, entry.message);
  }),
});

const pool = createPool(config.databaseUrl, 5);
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const worker = await createStayWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  pool,
  identity: `stay-worker@${process.pid}`,
});

const stop = () => worker.shutdown();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

log.info({ taskQueue: config.taskQueue, temporal: config.temporalAddress }, 'worker started');
await worker.run();
await connection.close();
await pool.end();
log.info('worker stopped');
