import { patched as patchedNow } from '@temporalio/workflow/lib/index';

/**
 * `@temporalio/workflow` as a worker of the seventh release sees it: the same API, but the branches of the eighth
 * release and later are never taken and their markers never recorded.
 */
export * from '@temporalio/workflow/lib/index';

/** The patches of the eighth release and later. */
const LATER = new Set(['older-deviations-kept-v8', 'offer-anchor-before-offer-v9']);

export function patched(patchId: string): boolean {
  return LATER.has(patchId) ? false : patchedNow(patchId);
}
