import type { Duration } from '@temporalio/common';
import { continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { RetentionSweepActivities } from '../../activities/read-model/anonymise-stay';

/** One sweep per task queue (deployment); every worker starts it at start-up, idempotently. */
export const retentionSweepWorkflowId = (taskQueue: string) => `retention-sweep:${taskQueue}`;

/** Sweeps per run before continue-as-new: a month of nights keeps the history short. */
const SWEEPS_PER_RUN = 30;

const { sweepRetention } = proxyActivities<RetentionSweepActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

/**
 * The nightly retention sweep: once a day, what no stay workflow removes by itself (stays whose workflow was
 * terminated or closed before retention existed, the access log past its own retention, old idempotency keys).
 * A durable timer, not a cron: a sweep missed while no worker ran happens when one is back.
 */
export async function retentionSweepWorkflow(input: { interval?: Duration } = {}): Promise<void> {
  for (let i = 0; i < SWEEPS_PER_RUN; i++) {
    const result = await sweepRetention({ now: new Date().toISOString() });
    log.info('retention sweep', result);
    await sleep(input.interval ?? '1 day');
  }
  await continueAsNew<typeof retentionSweepWorkflow>(input);
}
