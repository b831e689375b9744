import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { retentionSweepWorkflowId } from '../workflows/retention/retention-sweep-workflow';

/**
 * Starts the nightly retention sweep of this task queue unless it is running: every worker process calls this at
 * start, and the fixed workflow id makes all but the first a no-op (USE_EXISTING), so there is exactly one.
 */
export async function ensureRetentionSweep(client: Client, taskQueue: string): Promise<string> {
  const workflowId = retentionSweepWorkflowId(taskQueue);
  try {
    await client.workflow.start('retentionSweepWorkflow', {
      workflowId,
      taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}
