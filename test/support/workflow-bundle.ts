import { existsSync, readFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { inject } from 'vitest';
import { stayWorkflowBundleOptions } from '../../worker/stay-worker';
import { quietBundleLogger } from '../../worker/workflow-bundle';

/** The workflow bundle built once by the global setup (a forbidden import fails there), or built here. */
export async function workflowBundle(): Promise<{ code: string }> {
  const path = inject('workflowBundlePath');
  if (path && existsSync(path)) return { code: readFileSync(path, 'utf8') };
  return bundleWorkflowCode({ ...stayWorkflowBundleOptions, logger: quietBundleLogger });
}
