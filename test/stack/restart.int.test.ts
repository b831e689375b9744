import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_SECRET_DEFAULTS, signSharedSecretToken } from '../../config/token-auth';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { eventually } from '../support/eventually';
import { getFreePort } from '../../stack/free-port';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';

const SECRET = 'restart-test-secret-restart-test-secret';
const root = new URL('../..', import.meta.url).pathname;
const dataDir = makeTempDir('stays-restart');
let stack: ChildProcess | undefined;
let output = '';

afterAll(async () => {
  if (stack && stack.exitCode === null) {
    stack.kill('SIGTERM');
    await new Promise((resolve) => stack!.once('exit', resolve));
  }
  removeTempDir(dataDir);
});

async function ports() {
  return {
    PORT: await getFreePort(),
    TEMPORAL_PORT: await getFreePort(),
    TEMPORAL_UI_PORT: await getFreePort(),
    PG_PORT: await getFreePort(),
    MAIL_SMTP_PORT: await getFreePort(),
    MAIL_UI_PORT: await getFreePort(),
  };
}

/** `npm start` as a user runs it (the supervisor), on a DATA_DIR that outlives it. */
async function startStack(env: Record<string, number>): Promise<string> {
  const { DATABASE_URL: _db, TEMPORAL_ADDRESS: _temporal, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
    cwd: root,
    env: {
      ...inherited,
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  stack = child;
  const base = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<never>((_, reject) =>
    // the cause is at the start of a Go panic, the stack at its end: keep both
    child.once('exit', (code) =>
      reject(
        new Error(
          `npm start exited with ${code}: ${output.length > 4000 ? `${output.slice(0, 2000)}\n…\n${output.slice(-2000)}` : output}`,
        ),
      ),
    ),
  );
  exited.catch(() => {});
  await Promise.race([
    exited,
    eventually(
      async () => {
        const res = await fetch(`${base}/health`);
        expect(res.status).toBe(200);
      },
      90_000,
      500,
    ),
  ]);
  return base;
}

/**
 * Starts the stack on ports that were free a moment ago; on a busy machine another process may take one before the
 * stack binds it (the supervisor then stops with EADDRINUSE), so a start is tried again on new ones. The restart keeps
 * DATA_DIR, which is what it is about; its ports are the next free ones.
 */
async function startStackOnFreePorts(): Promise<{ base: string; env: Awaited<ReturnType<typeof ports>> }> {
  for (let attempt = 1; ; attempt++) {
    const env = await ports();
    try {
      return { base: await startStack(env), env };
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('EADDRINUSE')) throw err;
    }
  }
}

async function stopStack(): Promise<number | null> {
  const child = stack!;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

const token = signSharedSecretToken(
  { secret: SECRET, ...SHARED_SECRET_DEFAULTS },
  { sub: 'restart-test', role: 'institution', org: 'inst-restart' },
);

/** The environment of each process below `rootPid` whose command line names `entry` (Linux /proc). */
function environmentsBelow(rootPid: number, entry: string): Record<string, string>[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p; p = parentOf.get(p)) if (p === rootPid) return true;
    return false;
  };
  return [...parentOf.keys()]
    .filter((pid) => below(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(entry))
    .map((pid) =>
      Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
    );
}
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

describe('the whole stack across a restart (npm start, SIGTERM, npm start)', () => {
  it('finds every stay, milestone and escalation as it was, and keeps working', { timeout: 240_000 }, async () => {
    const first = await startStackOnFreePorts();
    const { env } = first;
    let base = first.base;
    // The worker verifies no token, so it never gets the secret they are signed with; the API does.
    const [workerEnv] = environmentsBelow(stack!.pid!, 'worker/main.ts');
    const [apiEnv] = environmentsBelow(stack!.pid!, 'api/server.ts');
    expect(workerEnv).toMatchObject({ EMBEDDED_STACK: 'true' });
    expect(workerEnv).not.toHaveProperty('AUTH_JWT_SECRET');
    expect(apiEnv).toMatchObject({ AUTH_JWT_SECRET: SECRET });
    // closed stays' histories are kept 30 days (their personal data has been removed from PostgreSQL by then)
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_PORT}` });
    const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 86_400);
    await connection.close();
    const today = osloDate(Date.now());
    const created = await fetch(`${base}/api/stays`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        residentRef: 'R-RESTART',
        institutionId: 'inst-restart',
        bydelId: 'bydel-grorud',
        admittedAt: addOffset(today, { months: -6, days: -1 }),
      }),
    });
    expect(created.status).toBe(201);
    const stay = (await created.json()) as { id: string; milestones: unknown[] };
    const escalationsOf = async () => {
      const res = await fetch(`${base}/api/escalations?stayId=${stay.id}&kind=overdue`, { headers });
      return ((await res.json()) as { items: { milestone: string; kind: string; dueDate: string }[] }).items
        .map((e: { milestone: string; kind: string; dueDate: string }) => `${e.milestone}:${e.kind}:${e.dueDate}`)
        .sort();
    };
    const before = await eventually(async () => {
      const list = await escalationsOf();
      expect(list).toHaveLength(6);
      return list;
    });

    expect(await stopStack()).toBe(0);
    ({ base } = await startStackOnFreePorts());

    const again = (await (await fetch(`${base}/api/stays/${stay.id}`, { headers })).json()) as {
      milestones: unknown[];
    };
    expect(again.milestones).toEqual(stay.milestones);
    expect(await escalationsOf()).toEqual(before);

    // the workflow is alive after the restart: it accepts a completion and reflects it at once
    const done = await fetch(`${base}/api/stays/${stay.id}/milestones/plan-started`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ doneAt: today }),
    });
    expect(done.status).toBe(200);
    const updated = (await done.json()) as { milestones: { key: string; status: string }[] };
    expect(updated.milestones.find((m) => m.key === 'plan-started')?.status).toBe('done');
    expect(await escalationsOf()).toEqual(before);
    expect(await stopStack()).toBe(0);
  });
});
