import { patched as patchedNow } from '@temporalio/workflow/lib/index';

/**
 * `@temporalio/workflow` as a worker of the fourth release sees it: the same API, but the stay workflow's
 * `read-model-local-v5` branch is never taken, so the worker writes the read model with a regular activity and
 * records no marker — exactly the commands the fourth release's code sent.
 */
export * from '@temporalio/workflow/lib/index';

/** What the fourth release did not have yet: the local read-model write and the sixth release's patches. */
const LATER = new Set(['read-model-local-v5', 'deadline-timer-v6', 'started-v6']);

export function patched(patchId: string): boolean {
  return LATER.has(patchId) ? false : patchedNow(patchId);
}
