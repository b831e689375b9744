import { patched as patchedNow } from '@temporalio/workflow/lib/index';

/**
 * `@temporalio/workflow` as a worker of the fourth release sees it, for a stay it registers under rules version 2: the
 * same API, but no branch of the fifth release or later is taken and no marker of theirs recorded — no `fidelity-v5`,
 * so the stay registers with rules version 2 and never adopts version 3 on this worker.
 */
export * from '@temporalio/workflow/lib/index';

/** What the fourth release did not have yet. */
const LATER = new Set([
  'fidelity-v5',
  'read-model-local-v5',
  'deadline-timer-v6',
  'started-v6',
  'recurring-deviation-v7',
  'offer-keeps-anchors-v7',
  'older-deviations-kept-v8',
  'offer-anchor-before-offer-v9',
]);

export function patched(patchId: string): boolean {
  return LATER.has(patchId) ? false : patchedNow(patchId);
}
