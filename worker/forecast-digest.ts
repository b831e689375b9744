import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { forecastDigestWorkflowId } from '../workflows/notifications/forecast-digest-workflow';

/**
 * Starts the weekly forecast digest of this task queue unless it is running: every worker process calls this at
 * start, and the fixed workflow id makes all but the first a no-op (USE_EXISTING), so there is exactly one.
 */
export async function ensureForecastDigest(client: Client, taskQueue: string): Promise<string> {
  const workflowId = forecastDigestWorkflowId(taskQueue);
  try {
    await client.workflow.start('forecastDigestWorkflow', {
      workflowId,
      taskQueue,
      args: [],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}
