// `npm run api`: one API process. Run as many as the load needs behind a load balancer; they share nothing but
// Temporal and PostgreSQL. The only file that listens.
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createPool } from '../config/database';
import { devLoginEnabled, loadConfig } from '../config/env';
import { loadPayloadEncryption } from '../config/payload-codec';
import { describeTemporalAuth, temporalConnectionOptions } from '../config/temporal-connection';
import { loadTokenAuth } from '../config/token-auth';
import { webhookPolicyOf } from '../config/webhook-target';
import { loadInterpretations } from '../rules/interpretations';
import { loadRetentionDays } from '../rules/retention';
import { loggerOptions } from '../config/logging';
import { buildApp } from './app';
import { UI_DIST_DIR } from './plugins/app/ui-static';

/**
 * What production requires is checked before anything connects: a refusal names what to set, one line, exit 1 —
 * an API that starts anyway would accept forgeable tokens or hand health data to Temporal in the clear.
 */
function startupConfig() {
  try {
    const config = loadConfig();
    return {
      config,
      tokenAuth: loadTokenAuth(config),
      encryption: loadPayloadEncryption(config),
      devLogin: devLoginEnabled(process.env, config),
    };
  } catch (err) {
    pino(loggerOptions('info', 'api')).fatal(`api refuses to start: ${(err as Error).message}`);
    process.exit(1);
  }
}
const { config, tokenAuth, encryption, devLogin } = startupConfig();
const startLog = pino(loggerOptions(config.logLevel, 'api'));
if (encryption.state.payloadEncryption === 'OFF' && !config.embeddedStack)
  startLog.warn('ALLOW_UNENCRYPTED_PAYLOADS=true: payloads go to Temporal UNENCRYPTED (a migration only)');
else if (encryption.state.acceptsUnencrypted && !config.embeddedStack)
  startLog.warn('ALLOW_UNENCRYPTED_PAYLOADS=true: payloads that are not encrypted are still read (a migration only)');

const pool = createPool(config.databaseUrl, config.pgPoolMax ?? 10);
const connectionOptions = temporalConnectionOptions(config.temporalAddress, config.temporalAuth);
const connection = await Connection.connect(connectionOptions);
const payloadCodec = encryption.codec;
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
  jwtSecret: tokenAuth.kind === 'shared-secret' ? tokenAuth.tokens.secret : '',
  ...(tokenAuth.kind === 'shared-secret' ? { sharedSecretPolicy: tokenAuth.tokens } : {}),
  ...(process.env.AUTH_FAILURES_PER_MINUTE
    ? { failedLoginsPerMinute: Number(process.env.AUTH_FAILURES_PER_MINUTE) }
    : {}),
  requestTimeoutMs: config.requestTimeoutMs,
  interpretations: loadInterpretations(process.env),
  retentionDays: loadRetentionDays(process.env),
  ...(process.env.RATE_LIMIT_PER_MINUTE ? { rateLimitPerMinute: Number(process.env.RATE_LIMIT_PER_MINUTE) } : {}),
  logger: loggerOptions(config.logLevel, 'api'),
  ui: { root: UI_DIST_DIR },
  devLogin,
  payloadCodec,
  secretBox: encryption.secretBox,
  webhookPolicy: webhookPolicyOf(config),
  ...(tokenAuth.kind === 'oidc' ? { oidc: tokenAuth.oidc } : {}),
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
  {
    temporal: config.temporalAddress,
    auth: describeTemporalAuth(connectionOptions),
    taskQueue: config.taskQueue,
    stack: config.embeddedStack ? 'embedded (development)' : 'production',
    tokens: tokenAuth.kind === 'oidc' ? `oidc ${tokenAuth.oidc.issuer}` : 'shared-secret (HS256 service tokens)',
    devLogin,
    ...encryption.state,
  },
  'api started',
);
