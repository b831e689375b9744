import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export type RoleProcess = {
  name: string;
  child: ChildProcess;
  /** Everything it printed (for assertions and for failure messages). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
};

/** `npm run worker` / `npm run api` as a separate OS process (node + tsx, as the npm scripts run them). */
export function startRole(
  name: string,
  entry: 'worker/main.ts' | 'api/server.ts' | 'scripts/migrate.ts',
  env: Record<string, string>,
): RoleProcess {
  // Nothing of the test runner's own environment that would point a role at other servers.
  const { DATABASE_URL: _d, TEMPORAL_ADDRESS: _t, PORT: _p, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let done = false;
  // A crashed test or bench must not leave roles behind.
  const killOnExit = () => {
    if (!done) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      process.removeListener('exit', killOnExit);
      resolve({ code, signal });
    }),
  );
  return { name, child, output: () => out, exited, alive: () => !done };
}

/** SIGTERM, then SIGKILL after graceMs; resolves with how it ended. */
export async function stopRole(p: RoleProcess, graceMs = 15_000) {
  if (!p.alive()) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const result = await p.exited;
  clearTimeout(timer);
  return result;
}

/** Polls url until it answers `status` (default 200); fails early with the process's output if it died. */
export async function waitForStatus(url: string, owner: RoleProcess, timeoutMs = 60_000, status = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!owner.alive())
      throw new Error(`${owner.name} exited before ${url} answered ${status}:\n${owner.output().slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === status) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${url} did not answer ${status} within ${timeoutMs} ms (last: ${last.slice(0, 500)})\n${owner.name}:\n${owner.output().slice(-3000)}`,
  );
}
