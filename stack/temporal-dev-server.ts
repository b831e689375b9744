import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { describeExit, spawnTied, type ChildExit } from './child-process';
import { formatLogTail, openLogSink } from './log-sink';
import { assertPortFree } from './port-check';
import { temporalCliPath } from './server-binaries';

export type TemporalDevServerOptions = {
  /** SQLite file for persistent state; undefined keeps everything in memory (lost on stop). */
  dbFile?: string;
  port: number;
  /** Web UI port; the CLI's default is port + 1000. Ignored when headless. */
  uiPort?: number;
  headless?: boolean;
  namespace?: string;
  /** Server output goes here; without it, it is kept in memory and only shown if start-up fails. */
  logFile?: string;
  readyTimeoutMs?: number;
  /** The Web UI asks this codec server to decrypt payloads (config/payload-codec.ts). */
  codecEndpoint?: string;
};

export type TemporalDevServer = {
  address: string;
  uiUrl?: string;
  /** Resolves when the server process ends, expectedly or not. */
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
};

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 10_000;

/** A start-up that exits (not one that hangs) is tried again this often. */
const START_ATTEMPTS = 3;

/**
 * Starts `temporal server start-dev` and resolves once it serves gRPC and knows the namespace. The CLI picks free
 * ports of its own for its internal services; when another process takes one between its check and its bind (seen
 * with many servers starting at once on a loaded machine), the process exits during start-up: that is tried again.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (!(err instanceof ExitedDuringStartUp) || attempt >= START_ATTEMPTS) throw err;
      await sleep(500 * attempt);
    }
  }
}

class ExitedDuringStartUp extends Error {}

async function startOnce(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { port, headless = false, namespace = 'default', readyTimeoutMs = 60_000 } = options;
  const cli = temporalCliPath();
  const uiPort = headless ? undefined : (options.uiPort ?? port + 1000);
  await assertPortFree(port, HOST, 'Temporal dev server');
  if (uiPort !== undefined) await assertPortFree(uiPort, HOST, 'Temporal Web UI');

  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port)];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (options.codecEndpoint && uiPort !== undefined) args.push('--ui-codec-endpoint', options.codecEndpoint);
  if (options.dbFile) {
    const dbFile = resolve(options.dbFile);
    mkdirSync(dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  args.push(
    '--log-level',
    'warn',
    '--namespace',
    namespace,
    // Workflow updates and update-with-start are what the API uses for synchronous commands.
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
  );

  const log = openLogSink(options.logFile);
  const child = spawnTied(cli, args, { stdio: ['ignore', log.stdio, log.stdio], parentDeathSignal: 'SIGTERM' });
  log.attach(child.process);
  const address = `${HOST}:${port}`;

  try {
    await waitUntilServing(address, namespace, readyTimeoutMs, () => child.hasExited());
    if (child.hasExited()) throw new Error(describeExit(await child.exited));
  } catch (err) {
    const exited = child.hasExited();
    await child.stop('SIGKILL', 5_000);
    const tail = log.tail();
    log.close();
    const message = `Temporal dev server on ${address} did not start: ${(err as Error).message}${formatLogTail(tail)}`;
    throw exited ? new ExitedDuringStartUp(message) : new Error(message);
  }

  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`,
    exited: child.exited,
    stop: async () => {
      await child.stop('SIGTERM', STOP_GRACE_MS);
      log.close();
    },
  };
}

async function waitUntilServing(
  address: string,
  namespace: string,
  timeoutMs: number,
  hasExited: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the server process exited during start-up');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        // The frontend can answer before the namespace is registered; workers polling too early would fail.
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
    }
    await sleep(200);
  }
  throw new Error(`not serving after ${timeoutMs / 1000}s (last error: ${(lastError as Error)?.message ?? 'none'})`);
}

/**
 * How long Temporal keeps the history of a closed workflow. A stay's workflow closes after its retention period has
 * removed the personal data from PostgreSQL (rules/retention.ts); its (encrypted) history then only needs to live
 * as long as an operator might want to look at it.
 */
export async function setClosedWorkflowRetention(address: string, namespace: string, days: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(days * 86_400) } },
    });
  } finally {
    await connection.close();
  }
}
