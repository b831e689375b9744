import { patched as patchedNow } from '@temporalio/workflow/lib/index';

/** The patches of the sixth release: a worker of the fifth release never takes their branches. */
const SIXTH_RELEASE = new Set(['deadline-timer-v6', 'started-v6']);

/**
 * `@temporalio/workflow` as a worker of the fifth release sees it: the same API, but the stay workflow's sixth-release
 * branches are never taken and their markers never recorded — exactly the commands the fifth release's code sent.
 */
export * from '@temporalio/workflow/lib/index';

export function patched(patchId: string): boolean {
  return SIXTH_RELEASE.has(patchId) ? false : patchedNow(patchId);
}
