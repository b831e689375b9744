// `npm start`: the whole system as one supervisor process. PostgreSQL and the Temporal dev server are started
// here unless DATABASE_URL / TEMPORAL_ADDRESS point at existing ones; the worker and the API run as child
// processes so that each has its own event loop and a crash in one is seen (and stops everything) at once.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import {
  devLoginEnabled,
  EMBEDDED_PG_DATABASE,
  EMBEDDED_PG_PASSWORD,
  EMBEDDED_PG_USER,
  loadConfig,
  type AppConfig,
} from '../config/env';
import { runMigrations } from '../migrations/run';
import { createPool } from '../config/database';
import { seedDemoInstitutions } from '../api/plugins/app/organisations';
import { newPayloadKeyRing } from '../config/payload-codec';
import { describeExit, spawnTied, type ChildExit } from '../stack/child-process';
import { startEmbeddedPostgres } from '../stack/embedded-postgres';
import { startMailCatcher } from '../stack/mail-catcher';
import { assertPortFree } from '../stack/port-check';
import { repoRoot } from '../stack/server-binaries';
import { setClosedWorkflowRetention, startTemporalDevServer } from '../stack/temporal-dev-server';

/** Closed stays' histories (already anonymised in PostgreSQL, encrypted in Temporal) are kept this long. */
const CLOSED_WORKFLOW_RETENTION_DAYS = 30;
const HEALTH_TIMEOUT_MS = 120_000;
const CHILD_STOP_GRACE_MS = 15_000;

type Component = { name: string; stop(): Promise<void>; exited: Promise<ChildExit> };

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}
mkdirSync(config.dataDir, { recursive: true });
// The embedded default encrypts what Temporal stores: one key ring under DATA_DIR, made once, read by worker and API.
// With external servers the ring must come from the deployment (PAYLOAD_KEYS), shared by every instance: a ring made
// here would differ per machine, so the worker and API refuse to start without one instead.
const payloadKeyFile = join(config.dataDir, 'payload-keys');
if (config.embeddedStack && !process.env.PAYLOAD_KEYS && !process.env.PAYLOAD_KEYS_FILE && !existsSync(payloadKeyFile))
  writeFileSync(payloadKeyFile, `${newPayloadKeyRing()}\n`, { mode: 0o600 });

const log = pino({ name: 'supervisor', level: config.logLevel });
/** Started components, in start order; stopped in reverse (API, worker, Temporal, PostgreSQL). */
const running: Component[] = [];
let shuttingDown: Promise<void> | undefined;
const isShuttingDown = () => shuttingDown !== undefined;
/** The start-up step in flight, so that a shutdown waits for it and can then stop what it started. */
let pendingStep: Promise<unknown> = Promise.resolve();

function shutdown(reason: string, exitCode: number): Promise<void> {
  shuttingDown ??= (async () => {
    log.info({ reason }, 'shutting down');
    await pendingStep.catch(() => {});
    for (const component of [...running].reverse()) {
      try {
        await component.stop();
        log.info(`${component.name} stopped`);
      } catch (err) {
        log.error({ err }, `${component.name} did not stop cleanly`);
        exitCode ||= 1;
      }
    }
    process.exit(exitCode);
  })();
  return shuttingDown;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // Repeats are ignored on purpose: npm and tsx relay the terminal's Ctrl-C, so one keypress can arrive 2-3 times.
  process.on(signal, () => void shutdown(signal, 0));
}

function supervise(component: Component): void {
  running.push(component);
  void component.exited.then((exit) => {
    if (isShuttingDown()) return;
    log.error(
      { component: component.name, code: exit.code, signal: exit.signal },
      `${component.name} ${describeExit(exit)} unexpectedly`,
    );
    void shutdown(`${component.name} exited`, 1);
  });
}

/**
 * Marks a start-up step as in flight. A component is registered by a .then() on its own start promise, so by
 * the time a concurrent shutdown has waited for the step, the component is in `running` and gets stopped.
 */
function track<T>(promise: Promise<T>): Promise<T> {
  pendingStep = promise;
  return promise;
}

const seconds = (fromMs: number) => ((performance.now() - fromMs) / 1000).toFixed(1);

/** For logs and the banner: where a database is, without its credentials. */
function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function spawnNodeChild(name: string, entry: string, env: NodeJS.ProcessEnv): Component {
  const child = spawnTied(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    parentDeathSignal: 'SIGTERM',
  });
  return {
    name,
    exited: child.exited,
    stop: async () => {
      const { killed } = await child.stop('SIGTERM', CHILD_STOP_GRACE_MS);
      if (killed) log.warn(`${name} did not stop within ${CHILD_STOP_GRACE_MS / 1000}s and was killed`);
    },
  };
}

async function waitForHealth(url: string): Promise<boolean> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && !isShuttingDown()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status === 200) return true;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  return false;
}

async function main(): Promise<void> {
  const { dataDir } = config;
  log.info({ dataDir }, 'starting');
  // The API binds last; finding its port taken only after PostgreSQL and Temporal are up would waste a start.
  await assertPortFree(config.port, config.host, 'API');
  if (isShuttingDown()) return;

  // PostgreSQL and Temporal are independent (the dev server keeps its state in SQLite): started side by side, each
  // ~1 s. They are supervised in a fixed order whichever is up first, so that a shutdown stops Temporal first.
  const t = performance.now();
  const [postgresStep, temporalStep] = [
    config.embeddedPostgres
      ? startEmbeddedPostgres({
          dataDir: join(dataDir, 'postgres'),
          port: config.pgPort,
          user: EMBEDDED_PG_USER,
          password: EMBEDDED_PG_PASSWORD,
          database: EMBEDDED_PG_DATABASE,
          logFile: join(dataDir, 'postgres.log'),
        })
      : undefined,
    config.embeddedTemporal
      ? startTemporalDevServer({
          dbFile: join(dataDir, 'temporal.sqlite'),
          port: config.temporalPort,
          uiPort: config.temporalUiPort,
          namespace: config.temporalNamespace,
          logFile: join(dataDir, 'temporal.log'),
          // the Web UI shows stays' payloads decrypted through the API's codec server
          codecEndpoint: `http://${urlHost(config.host)}:${config.port}/codec`,
        })
      : undefined,
  ];
  const [postgresStart, temporalStart] = await track(Promise.allSettled([postgresStep, temporalStep]));
  if (postgresStart.status === 'fulfilled' && postgresStart.value) {
    const pg = postgresStart.value;
    supervise({ name: 'PostgreSQL', exited: pg.exited, stop: pg.stop });
  }
  if (temporalStart.status === 'fulfilled' && temporalStart.value) {
    const server = temporalStart.value;
    supervise({ name: 'Temporal dev server', exited: server.exited, stop: server.stop });
  }
  if (postgresStart.status === 'rejected') throw postgresStart.reason;
  if (temporalStart.status === 'rejected') throw temporalStart.reason;
  if (isShuttingDown()) return;

  const postgres = postgresStart.value;
  if (postgres) {
    log.info(
      { port: config.pgPort, seconds: Number(seconds(t)), cluster: postgres.clusterDir },
      postgres.createdCluster ? 'PostgreSQL started (new cluster)' : 'PostgreSQL started (existing cluster)',
    );
    if (postgres.clusterDir !== join(dataDir, 'postgres'))
      log.info(
        `PostgreSQL runs as the OS user "postgres", which cannot enter ${dataDir}: its cluster is kept in ${postgres.clusterDir} (linked from ${join(dataDir, 'postgres')})`,
      );
  } else {
    log.info({ database: describeDatabase(config.databaseUrl) }, 'using external PostgreSQL (DATABASE_URL)');
  }

  let temporalUiUrl: string | undefined;
  const temporal = temporalStart.value;
  if (temporal) {
    temporalUiUrl = temporal.uiUrl;
    await track(setClosedWorkflowRetention(temporal.address, config.temporalNamespace, CLOSED_WORKFLOW_RETENTION_DAYS));
    if (isShuttingDown()) return;
    log.info({ address: temporal.address, seconds: Number(seconds(t)) }, 'Temporal dev server started');
  } else {
    log.info({ address: config.temporalAddress }, 'using external Temporal (TEMPORAL_ADDRESS)');
  }

  const applied = await track(runMigrations(config.databaseUrl, (message) => log.info(message)));
  if (isShuttingDown()) return;
  if (applied.length === 0) log.info('database schema is up to date');

  // The development login needs institutions to offer: demo ones, only while the register has none.
  const devLogin = process.env.DEV_LOGIN ?? String(config.embeddedStack);
  if (devLoginEnabled({ ...process.env, DEV_LOGIN: devLogin }, config)) {
    const pool = createPool(config.databaseUrl, 1);
    const added = await track(seedDemoInstitutions(pool).finally(() => pool.end()));
    if (added > 0)
      log.info(
        { added },
        'the organisation register had no institution: added the demo institutions inst-1, inst-2, inst-3 (development data)',
      );
  }
  if (isShuttingDown()) return;

  // The embedded default catches e-mail notifications locally (SMTP_URL set = a real mail server, no catcher).
  let mailCatcherUrl: string | undefined;
  let smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl && config.embeddedPostgres && config.embeddedTemporal) {
    const catcher = await track(
      startMailCatcher({
        dir: join(dataDir, 'mail'),
        smtpPort: Number(process.env.MAIL_SMTP_PORT ?? 1025),
        webPort: Number(process.env.MAIL_UI_PORT ?? 1080),
      }).then((c) => {
        supervise({ name: 'mail catcher', exited: new Promise<ChildExit>(() => {}), stop: c.stop });
        return c;
      }),
    );
    if (isShuttingDown()) return;
    smtpUrl = catcher.smtpUrl;
    mailCatcherUrl = catcher.webUrl;
  }

  // Resolved values, so that the children use exactly the servers chosen here. The children of the embedded stack
  // are told so (EMBEDDED_STACK): they then read the secret and key ring generated under DATA_DIR.
  const childEnv: NodeJS.ProcessEnv = {
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: config.databaseUrl,
    TEMPORAL_ADDRESS: config.temporalAddress,
    EMBEDDED_STACK: String(config.embeddedStack),
    ...(temporalUiUrl && !process.env.TEMPORAL_UI_URL ? { TEMPORAL_UI_URL: temporalUiUrl } : {}), // admins' link to a stay's workflow
    DEV_LOGIN: devLogin, // the web app's development login
  };
  // The worker verifies no token: it never gets the secret they are signed with.
  const { AUTH_JWT_SECRET: _secret, AUTH_JWT_SECRET_FILE: _secretFile, ...workerEnv } = childEnv;
  supervise(spawnNodeChild('worker', 'worker/main.ts', workerEnv));
  supervise(spawnNodeChild('API', 'api/server.ts', childEnv));

  const base = `http://${urlHost(config.host)}:${config.port}`;
  if (!(await waitForHealth(`${base}/health`))) {
    if (!isShuttingDown()) {
      log.error(`${base}/health did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000}s`);
      void shutdown('not healthy', 1);
    }
    return;
  }

  const rows: Array<[string, string]> = [
    ['Web app', `${base}/`],
    ['API', base],
    ['OpenAPI docs', `${base}/docs`],
    ...(temporalUiUrl ? [['Temporal Web UI', temporalUiUrl] as [string, string]] : []),
    [
      'PostgreSQL',
      config.embeddedPostgres
        ? `embedded, ${describeDatabase(config.databaseUrl)}`
        : describeDatabase(config.databaseUrl),
    ],
    [
      'Temporal',
      `${config.embeddedTemporal ? 'embedded, ' : ''}${config.temporalAddress} (namespace ${config.temporalNamespace})`,
    ],
    ...(mailCatcherUrl ? [['Mail catcher (sent e-mail)', mailCatcherUrl] as [string, string]] : []),
    ['Data directory', dataDir],
    ['Get a token', 'npm run --silent token -- --role admin'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const rule = '─'.repeat(72);
  process.stdout.write(
    `${[
      '',
      rule,
      `  Stay transition engine is ready (started in ${(performance.now() / 1000).toFixed(1)} s)`,
      '',
      ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
      '',
      '  Ctrl-C stops the API, the worker, Temporal and PostgreSQL, in that order.',
      rule,
      '',
    ].join('\n')}\n`,
  );
}

main().catch((err: Error) => {
  const hint = /already in use/.test(err.message)
    ? ' (stop the other instance, or choose other ports with PORT, PG_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT)'
    : '';
  // The message is the useful part (it carries the server's last log lines); a stack trace would bury it.
  log.error(`start-up failed: ${err.message}${hint}`);
  void shutdown('start-up failed', 1);
});
