import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The workflow bundle built at build time (`npm run build:workflow-bundle`, run by the Dockerfile), so that a
 * production worker starts without webpack and runs exactly the code that was built and replay-tested.
 *
 * Next to the bundle lives a manifest with the @temporalio/worker version that built it: workflow code runs
 * inside the SDK's sandbox, and a bundle from another SDK version can behave differently on replay, so the worker
 * refuses it instead of risking non-determinism in months-long stays.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_WORKFLOW_BUNDLE_PATH = join(repoRoot, 'dist', 'workflow-bundle.js');
/** What goes into the bundle; a source newer than a found-by-default bundle means that bundle is stale. */
const WORKFLOW_SOURCE_DIRS = ['workflows', 'rules'].map((d) => join(repoRoot, d));

export type WorkflowBundleManifest = {
  /** The @temporalio/worker version that ran bundleWorkflowCode. */
  sdkVersion: string;
  builtAt: string;
  /** sha256 of the bundle file, so that a manifest never vouches for another bundle. */
  sha256: string;
};

export const manifestPathOf = (bundlePath: string) => `${bundlePath.replace(/\.js$/, '')}.manifest.json`;

export function workerSdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@temporalio/worker/package.json') as { version: string }).version;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class WorkflowBundleRefusedError extends Error {
  override name = 'WorkflowBundleRefusedError';
}

/** Writes the bundle and its manifest (used by scripts/build-workflow-bundle.ts). */
export function writeWorkflowBundle(
  bundlePath: string,
  code: string,
  sdkVersion = workerSdkVersion(),
): WorkflowBundleManifest {
  mkdirSync(dirname(bundlePath), { recursive: true });
  const manifest: WorkflowBundleManifest = { sdkVersion, builtAt: new Date().toISOString(), sha256: sha256(code) };
  writeFileSync(bundlePath, code);
  writeFileSync(manifestPathOf(bundlePath), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Reads a prebuilt bundle and checks it against this worker's SDK version. Throws WorkflowBundleRefusedError
 * (with what to do) when the manifest is missing, belongs to another file, or names another SDK version.
 */
export function readWorkflowBundle(
  bundlePath: string,
  sdkVersion = workerSdkVersion(),
): { code: string; manifest: WorkflowBundleManifest } {
  const rebuild = 'Rebuild it with `npm run build:workflow-bundle` using the same node_modules the worker runs with.';
  if (!existsSync(bundlePath)) throw new WorkflowBundleRefusedError(`No workflow bundle at ${bundlePath}. ${rebuild}`);
  const manifestPath = manifestPathOf(bundlePath);
  if (!existsSync(manifestPath)) {
    throw new WorkflowBundleRefusedError(
      `The workflow bundle ${bundlePath} has no manifest (${manifestPath}), so its SDK version is unknown. ${rebuild}`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as WorkflowBundleManifest;
  const code = readFileSync(bundlePath, 'utf8');
  if (manifest.sha256 !== sha256(code)) {
    throw new WorkflowBundleRefusedError(
      `The manifest ${manifestPath} was written for another bundle than ${bundlePath}. ${rebuild}`,
    );
  }
  if (manifest.sdkVersion !== sdkVersion) {
    throw new WorkflowBundleRefusedError(
      `The workflow bundle ${bundlePath} was built by @temporalio/worker ${manifest.sdkVersion}, but this worker runs ` +
        `${sdkVersion}. Workflow code must be bundled by the SDK version that runs it. ${rebuild}`,
    );
  }
  return { code, manifest };
}

function newestMtimeMs(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export type WorkflowSource =
  | { kind: 'bundle'; code: string; path: string; manifest: WorkflowBundleManifest }
  | { kind: 'source'; reason: string };

/**
 * Which workflow code the worker runs:
 * - an explicit path (WORKFLOW_BUNDLE) is used or refused, never silently skipped;
 * - else dist/workflow-bundle.js when present and not older than workflows/ and rules/ (a stale bundle
 *   left over from an earlier build must not run in development);
 * - else the worker bundles workflows/ at start-up (development).
 */
export function resolveWorkflowSource(explicitPath?: string, sdkVersion = workerSdkVersion()): WorkflowSource {
  if (explicitPath) return { kind: 'bundle', path: explicitPath, ...readWorkflowBundle(explicitPath, sdkVersion) };
  const path = DEFAULT_WORKFLOW_BUNDLE_PATH;
  if (!existsSync(path)) return { kind: 'source', reason: 'no prebuilt bundle' };
  const bundleTime = statSync(path).mtimeMs;
  if (WORKFLOW_SOURCE_DIRS.some((dir) => newestMtimeMs(dir) > bundleTime)) {
    return { kind: 'source', reason: `${path} is older than the workflow sources` };
  }
  return { kind: 'bundle', path, ...readWorkflowBundle(path, sdkVersion) };
}

/** For bundling outside the worker (tests, recording histories): webpack's progress is noise there, errors are not. */
export const quietBundleLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message: string) => console.error(message),
};
