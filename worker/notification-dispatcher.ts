import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { TemporalConnectionOptions } from '../config/temporal-connection';
import { notificationDispatcherWorkflowId, type DispatcherInput } from '../workflows/notifications/dispatcher-workflow';

/**
 * Starts the notification dispatcher of this task queue unless it is running: every worker process calls this at
 * start, and the fixed workflow id makes all but the first a no-op (USE_EXISTING), so there is exactly one.
 */
export async function ensureNotificationDispatcher(opts: {
  connectionOptions: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  input?: DispatcherInput;
  /** The workers' codec: the dispatcher's input is encrypted like every other payload (workers refuse plaintext). */
  payloadCodec?: PayloadCodec;
}): Promise<string> {
  const connection = await Connection.connect(opts.connectionOptions);
  try {
    const client = new Client({
      connection,
      namespace: opts.namespace,
      ...(opts.payloadCodec ? { dataConverter: { payloadCodecs: [opts.payloadCodec] } } : {}),
    });
    const workflowId = notificationDispatcherWorkflowId(opts.taskQueue);
    try {
      await client.workflow.start('notificationDispatcherWorkflow', {
        workflowId,
        taskQueue: opts.taskQueue,
        args: [opts.input ?? {}],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return workflowId;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return workflowId;
      throw err;
    }
  } finally {
    await connection.close();
  }
}
