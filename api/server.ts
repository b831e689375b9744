// `npm run api`: one API process. Run as many as the load needs behind a load balancer; they share nothing but
// Temporal and PostgreSQL. The only file that listens.
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../config/database';
import { loadPayloadCodec, loadSecretBox } from '../config/payload-codec';
import { devLoginEnabled, loadConfig } from '../config/env';
import { describeTemporalAuth, temporalConnectionOptions } from '../config/temporal-connection';
import { loadInterpretations } from '../rules/interpretations';
import { loadRetentionDays } from '../rules/retention';
import { loggerOptions } from '../config/logging';
import { buildApp } from './app';
import { UI_DIST_DIR } from './plugins/app/ui-static';

const config = loadConfig();
const pool = createPool(config.databaseUrl, config.pgPoolMax ?? 10);
const connectionOptions = temporalConnectionOptions(config.temporalAddress, config.temporalAuth);
const connection = await Connection.connect(connectionOptions);
const payloadCodec = loadPayloadCodec(process.env, config.dataDir);
const client = new Client({
  connection,
  namespace: config.temporalNamespace,
  ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}),
});

const app = await buildApp({
  client,
  pool,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  jwtSecret: config.jwtSecret,
  requestTimeoutMs: config.requestTimeoutMs,
  interpretations: loadInterpretations(process.env),
  retentionDays: loadRetentionDays(process.env),
  ...(process.env.RATE_LIMIT_PER_MINUTE ? { rateLimitPerMinute: Number(process.env.RATE_LIMIT_PER_MINUTE) } : {}),
  logger: loggerOptions(config.logLevel, 'api'),
  ui: { root: UI_DIST_DIR },
  devLogin: devLoginEnabled(process.env),
  payloadCodec,
  secretBox: loadSecretBox(process.env, config.dataDir),
  ...(config.oidc ? { oidc: config.oidc } : {}),
  codecUiOrigins: [
    `http://127.0.0.1:${config.temporalUiPort}`,
    `http://localhost:${config.temporalUiPort}`,
    ...(config.temporalUiUrl ? [new URL(config.temporalUiUrl).origin] : []),
  ],
  temporalUiUrl: config.temporalUiUrl,
});

/**
 * Graceful shutdown: /ready turns 503 at once; after SHUTDOWN_DELAY_MS (time for a load balancer to notice)
 * the server stops accepting and waits for in-flight requests (each bounded by REQUEST_TIMEOUT_MS), at most
 * SHUTDOWN_GRACE_MS; then the Temporal connection and the pool close. A second signal exits at once.
 */
let closing = false;
const close = async (signal: string) => {
  if (closing) {
    app.log.warn({ signal }, 'second signal: exiting without draining');
    process.exit(1);
  }
  closing = true;
  app.startDraining();
  app.log.info({ signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs }, 'api draining');
  const forced = setTimeout(() => {
    app.log.error(`in-flight requests did not finish within ${config.shutdownGraceMs} ms; exiting`);
    process.exit(1);
  }, config.shutdownDelayMs + config.shutdownGraceMs);
  forced.unref();
  if (config.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
  await app.close();
  await connection.close();
  await pool.end();
  app.log.info('api stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void close('SIGTERM'));
process.on('SIGINT', () => void close('SIGINT'));

await app.listen({ port: config.port, host: config.host });
app.log.info(
  { temporal: config.temporalAddress, auth: describeTemporalAuth(connectionOptions), taskQueue: config.taskQueue },
  'api started',
);
