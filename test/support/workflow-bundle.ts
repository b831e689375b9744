import { existsSync, readFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { inject } from 'vitest';
import { workflowsPath } from '../../worker/stay-worker';

/** The workflow bundle built once by the global setup (a forbidden import fails there), or built here. */
export async function workflowBundle(): Promise<{ code: string }> {
  const path = inject('workflowBundlePath');
  if (path && existsSync(path)) return { code: readFileSync(path, 'utf8') };
  return bundleWorkflowCode({ workflowsPath, logger: quietBundleLogger });
}

export const quietBundleLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message: string) => console.error(message),
};
