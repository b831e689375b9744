import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * Temporal's floor for the benchmarks: an Update that does nothing on a workflow that does nothing. Whatever a stay
 * command costs beyond this is ours (validator, fold, read-model write, payloads); this part is the server's and the
 * SDK's. Bundled on its own (not in workflows/) and run by its own worker on its own task queue in the bench process.
 */
export const noopUpdate = defineUpdate<null>('noop');

export async function noopWorkflow(): Promise<void> {
  setHandler(noopUpdate, () => null);
  await condition(() => false);
}
