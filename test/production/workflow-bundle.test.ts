import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  manifestPathOf,
  readWorkflowBundle,
  workerSdkVersion,
  WorkflowBundleRefusedError,
  writeWorkflowBundle,
} from '../../worker/workflow-bundle';
import { newPayloadKeyRing } from '../../config/payload-codec';
import { makeTempDir, removeTempDir } from '../../stack/temp-dir';
import { startRole } from '../../stack/role-process';

const dir = makeTempDir('stays-bundle');
afterAll(() => removeTempDir(dir));

const code = '/* a workflow bundle */ module.exports = {};\n';

describe('the prebuilt workflow bundle', () => {
  it('is read back with the manifest of the SDK version that built it', () => {
    const path = join(dir, 'ok', 'workflow-bundle.js');
    const written = writeWorkflowBundle(path, code);
    expect(written.sdkVersion).toBe(workerSdkVersion());
    expect(readWorkflowBundle(path)).toEqual({ code, manifest: written });
  });

  it('is refused when another @temporalio/worker version built it, saying what to do', () => {
    const path = join(dir, 'old', 'workflow-bundle.js');
    writeWorkflowBundle(path, code, '1.11.0');
    expect(() => readWorkflowBundle(path)).toThrow(WorkflowBundleRefusedError);
    expect(() => readWorkflowBundle(path)).toThrow(
      `was built by @temporalio/worker 1.11.0, but this worker runs ${workerSdkVersion()}. Workflow code must be bundled by the SDK version that runs it. Rebuild it with \`npm run build:workflow-bundle\``,
    );
  });

  it('is refused without a manifest, or with the manifest of another bundle', () => {
    const path = join(dir, 'swapped', 'workflow-bundle.js');
    writeWorkflowBundle(path, code);
    writeFileSync(path, `${code}// edited after the build\n`);
    expect(() => readWorkflowBundle(path)).toThrow(/was written for another bundle/);
    const bare = join(dir, 'swapped', 'bare.js');
    writeFileSync(bare, code);
    expect(() => readWorkflowBundle(bare)).toThrow(/has no manifest .* so its SDK version is unknown/);
    expect(JSON.parse(readFileSync(manifestPathOf(path), 'utf8'))).toHaveProperty('builtAt');
  });

  it('stops `npm run worker` at start-up, before it touches Temporal, when the bundle is from another SDK version', {
    timeout: 30_000,
  }, async () => {
    const path = join(dir, 'refused', 'workflow-bundle.js');
    writeWorkflowBundle(path, code, '0.0.1');
    const worker = startRole('worker', 'worker/main.ts', {
      WORKFLOW_BUNDLE: path,
      // Nothing listens here: the worker must refuse the bundle before it tries to connect.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
      DATA_DIR: join(dir, 'data'),
      AUTH_JWT_SECRET: 'bundle-test-secret-bundle-test',
      // Encryption is required outside the embedded stack; it must not be what stops this worker.
      PAYLOAD_KEYS: newPayloadKeyRing('bundle'),
    });
    const { code: exitCode } = await worker.exited;
    expect(exitCode).toBe(1);
    expect(worker.output()).toContain('worker could not start');
    expect(worker.output()).toContain('was built by @temporalio/worker 0.0.1');
  });
});
