// `npm run build:workflow-bundle [-- OUT_PATH]`: bundles workflows/ once, at build time (the Dockerfile runs it),
// and writes the bundle plus a manifest naming the @temporalio/worker version that built it. A forbidden
// (non-deterministic) import in workflow code fails here, not when a worker starts.
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { stayWorkflowBundleOptions } from '../worker/stay-worker';
import { DEFAULT_WORKFLOW_BUNDLE_PATH, manifestPathOf, writeWorkflowBundle } from '../worker/workflow-bundle';

const out = resolve(process.argv[2] ?? DEFAULT_WORKFLOW_BUNDLE_PATH);
const quiet = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
const { code } = await bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quiet });
const manifest = writeWorkflowBundle(out, code);
console.log(
  `workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB, @temporalio/worker ${manifest.sdkVersion})`,
);
console.log(`manifest:        ${manifestPathOf(out)}`);
