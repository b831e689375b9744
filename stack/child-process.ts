import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

export type ChildExit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

export type TiedChild = {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  hasExited(): boolean;
  /**
   * Sends `signal`, waits up to graceMs, then SIGKILLs the child's whole process group (`killed: true`).
   * Safe to call twice or after the child has exited.
   */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<ChildExit & { killed: boolean }>;
};

export type TiedSpawnOptions = Omit<SpawnOptions, 'detached'> & {
  /** What the child gets when this process dies: SIGTERM for most servers, SIGINT (fast shutdown) for PostgreSQL. */
  parentDeathSignal?: NodeJS.Signals;
};

let pdeathsigSupported: boolean | undefined;

/**
 * util-linux `setpriv --pdeathsig` makes the kernel signal the child when we die, even by SIGKILL or OOM,
 * which no 'exit' handler can cover. Optional: without it we still kill children from the 'exit' handler.
 */
function canUsePdeathsig(): boolean {
  if (pdeathsigSupported === undefined) {
    const probe = process.platform === 'linux' ? spawnSync('setpriv', ['--help'], { encoding: 'utf8' }) : undefined;
    pdeathsigSupported = probe?.status === 0 && probe.stdout.includes('--pdeathsig');
  }
  return pdeathsigSupported;
}

/**
 * Spawns a server process that cannot outlive this one.
 *
 * It gets its own process group (detached) so that a terminal Ctrl-C reaches only the supervisor, which then
 * stops the children in dependency order instead of all of them dying at once.
 */
export function spawnTied(command: string, args: readonly string[], options: TiedSpawnOptions = {}): TiedChild {
  const { parentDeathSignal = 'SIGTERM', ...spawnOptions } = options;
  const [cmd, argv] = canUsePdeathsig()
    ? ['setpriv', ['--pdeathsig', parentDeathSignal, '--', command, ...args]]
    : [command, [...args]];
  const child = spawn(cmd, argv, { ...spawnOptions, detached: true });

  let exitInfo: ChildExit | undefined;
  const killOnParentExit = () => {
    if (!exitInfo && child.pid) {
      try {
        process.kill(child.pid, parentDeathSignal);
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', killOnParentExit);

  const exited = new Promise<ChildExit>((resolve) => {
    const done = (info: ChildExit) => {
      if (exitInfo) return;
      exitInfo = info;
      process.removeListener('exit', killOnParentExit);
      resolve(info);
    };
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      // 'error' without a pid means the spawn itself failed, so no 'exit' will follow.
      if (child.pid === undefined) done({ code: null, signal: null, error });
    });
  });

  const stop = async (signal: NodeJS.Signals, graceMs: number): Promise<ChildExit & { killed: boolean }> => {
    if (exitInfo) return { ...exitInfo, killed: false };
    try {
      child.kill(signal);
    } catch {
      // Raced with its exit.
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const first = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return { ...first, killed: false };
    try {
      // The whole group, so that anything the child spawned goes too.
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    return { ...(await exited), killed: true };
  };

  return { process: child, exited, hasExited: () => exitInfo !== undefined, stop };
}

export function describeExit(exit: ChildExit): string {
  if (exit.error) return `failed to start: ${exit.error.message}`;
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
