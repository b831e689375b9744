import { Client, Connection } from '@temporalio/client';
import { createPool } from '../config/database';
import { loadConfig } from '../config/env';
import { loadInterpretations } from '../rules/interpretations';
import { loggerOptions } from '../worker/logger';
import { buildApp } from './app';

const config = loadConfig();
const pool = createPool(config.databaseUrl);
const connection = await Connection.connect({ address: config.temporalAddress });
const client = new Client({ connection, namespace: config.temporalNamespace });

const app = await buildApp({
  client,
  pool,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  jwtSecret: config.jwtSecret,
  requestTimeoutMs: config.requestTimeoutMs,
  interpretations: loadInterpretations(process.env),
  logger: loggerOptions(config.logLevel, 'api'),
});

let closing = false;
const close = async (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'api stopping');
  await app.close();
  await connection.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void close('SIGTERM'));
process.once('SIGINT', () => void close('SIGINT'));

await app.listen({ port: config.port, host: config.host });
