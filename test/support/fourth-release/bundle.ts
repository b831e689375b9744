import { bundleWorkflowCode } from '@temporalio/worker';
import { stayWorkflowBundleOptions } from '../../../worker/stay-worker';
import { quietBundleLogger } from '../../../worker/workflow-bundle';

const shim = new URL('./workflow-api.ts', import.meta.url).pathname;

/** The stay workflow as the fourth release ran it: before the read model was written by a local activity. */
export function fourthReleaseBundle(): Promise<{ code: string }> {
  return bundleWorkflowCode({
    ...stayWorkflowBundleOptions,
    logger: quietBundleLogger,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        // only the bare import: the shim itself and the SDK's own imports reach the real module by its path
        alias: { ...(config.resolve?.alias as Record<string, string | false>), '@temporalio/workflow$': shim },
      },
    }),
  });
}
