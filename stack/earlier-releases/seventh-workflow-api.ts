import { patched as patchedNow } from '@temporalio/workflow/lib/index';

/**
 * `@temporalio/workflow` as a worker of the seventh release sees it: the same API, but the eighth release's branch is
 * never taken and its marker never recorded.
 */
export * from '@temporalio/workflow/lib/index';

/** The patches of the eighth release. */
const EIGHTH_RELEASE = new Set(['older-deviations-kept-v8']);

export function patched(patchId: string): boolean {
  return EIGHTH_RELEASE.has(patchId) ? false : patchedNow(patchId);
}
