import { bundleWorkflowCode } from '@temporalio/worker';
import { stayWorkflowBundleOptions } from '../../worker/stay-worker';
import { quietBundleLogger } from '../../worker/workflow-bundle';

/**
 * The stay workflow as an earlier release ran it: bundled with `@temporalio/workflow` replaced by that release's shim
 * (`<release>/workflow-api.ts`), whose `patched()` declines the patches the release did not have yet.
 */
export function earlierReleaseBundle(shim: URL): Promise<{ code: string }> {
  return bundleWorkflowCode({
    ...stayWorkflowBundleOptions,
    logger: quietBundleLogger,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        // only the bare import: the shim itself and the SDK's own imports reach the real module by its path
        alias: {
          ...(config.resolve?.alias as Record<string, string | false>),
          '@temporalio/workflow$': shim.pathname,
        },
      },
    }),
  });
}

/** The stay workflow as the fourth release ran it, registering stays under rules version 2 (rules-v2-workflow-api.ts). */
export const rulesV2ReleaseBundle = () => earlierReleaseBundle(new URL('./rules-v2-workflow-api.ts', import.meta.url));

/** The stay workflow as the seventh release ran it: before the eighth release's patches and later ones (seventh-workflow-api.ts). */
export const seventhReleaseBundle = () => earlierReleaseBundle(new URL('./seventh-workflow-api.ts', import.meta.url));
