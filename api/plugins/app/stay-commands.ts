import { randomUUID } from 'node:crypto';
import { Client, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  awaitReadModelUpdate,
  completeMilestoneUpdate,
  markStatusReportInsufficientUpdate,
  stayWorkflowId,
} from '../../../workflows/stay/definitions';
import type { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type { CommandResult, CompleteMilestoneInput, MarkInsufficientInput, RegisterStayInput } from '../../../workflows/stay/types';

export type StayCommands = ReturnType<typeof createStayCommands>;

/**
 * HTTP → Temporal. Every call is bounded by `timeoutMs`: with no worker polling, the SDK would otherwise
 * retry an Update forever and the request would hang.
 */
export function createStayCommands(client: Client, taskQueue: string, timeoutMs: number) {
  const bounded = <T>(fn: () => Promise<T>): Promise<T> => client.withAbortSignal(AbortSignal.timeout(timeoutMs), fn);

  return {
    newStayId: (): string => randomUUID(),

    /** Starts the stay's workflow and answers once its read model is written. */
    register: (input: RegisterStayInput): Promise<CommandResult> =>
      bounded(async () => {
        const handle = await client.workflow.start<typeof stayWorkflow>('stayWorkflow', {
          workflowId: stayWorkflowId(input.stayId),
          taskQueue,
          args: [{ register: input }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        });
        return handle.executeUpdate(awaitReadModelUpdate, { args: [] });
      }),

    awaitReadModel: (stayId: string): Promise<CommandResult> =>
      bounded(() => client.workflow.getHandle(stayWorkflowId(stayId)).executeUpdate(awaitReadModelUpdate, { args: [] })),

    completeMilestone: (stayId: string, input: CompleteMilestoneInput, updateId?: string): Promise<CommandResult> =>
      bounded(() =>
        client.workflow.getHandle(stayWorkflowId(stayId)).executeUpdate(completeMilestoneUpdate, { args: [input], updateId }),
      ),

    markStatusReportInsufficient: (stayId: string, input: MarkInsufficientInput, updateId?: string): Promise<CommandResult> =>
      bounded(() =>
        client.workflow
          .getHandle(stayWorkflowId(stayId))
          .executeUpdate(markStatusReportInsufficientUpdate, { args: [input], updateId }),
      ),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    stayCommands: StayCommands;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { client: Client; taskQueue: string; timeoutMs: number }) => {
    app.decorate('stayCommands', createStayCommands(opts.client, opts.taskQueue, opts.timeoutMs));
  },
  { name: 'stay-commands' },
);
