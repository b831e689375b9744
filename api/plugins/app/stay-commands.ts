import { randomUUID } from 'node:crypto';
import { Client, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { UpdateDefinition } from '@temporalio/common';
import {
  agreeDeviationUpdate,
  agreeExtraStatusReportUpdate,
  awaitReadModelUpdate,
  completeMilestoneUpdate,
  correctRecordUpdate,
  markStatusReportInsufficientUpdate,
  recordEventUpdate,
  stayWorkflowId,
  updateExitPlanUpdate,
} from '../../../workflows/stay/definitions';
import type { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type {
  AgreeDeviationInput,
  AgreeExtraStatusReportInput,
  CommandResult,
  CompleteMilestoneInput,
  CorrectInput,
  MarkInsufficientInput,
  RecordEventInput,
  RegisterStayInput,
  UpdateExitPlanInput,
} from '../../../workflows/stay/types';
import { HttpProblem } from '../../problem';

export type StayCommands = ReturnType<typeof createStayCommands>;

/**
 * HTTP → Temporal. Every call is bounded by `timeoutMs`: with no worker polling, the SDK would otherwise
 * retry an Update forever and the request would hang.
 */
export function createStayCommands(client: Client, taskQueue: string, timeoutMs: number) {
  const bounded = <T>(fn: () => Promise<T>): Promise<T> => client.withAbortSignal(AbortSignal.timeout(timeoutMs), fn);

  /** Runs one Update on the stay's workflow; a workflow that has completed means the stay is closed. */
  const update =
    <I>(def: UpdateDefinition<CommandResult, [I]>) =>
    (stayId: string, input: I, updateId?: string) =>
      bounded(() =>
        client.workflow.getHandle(stayWorkflowId(stayId)).executeUpdate(def, { args: [input], updateId }),
      ).catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) {
          throw new HttpProblem(
            409,
            'Conflict',
            "The stay's workflow has finished (completed or ended); nothing more can be recorded on it.",
            { code: 'stay-closed' },
          );
        }
        throw err;
      });

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
      bounded(() =>
        client.workflow.getHandle(stayWorkflowId(stayId)).executeUpdate(awaitReadModelUpdate, { args: [] }),
      ),

    completeMilestone: update<CompleteMilestoneInput>(completeMilestoneUpdate),
    markStatusReportInsufficient: update<MarkInsufficientInput>(markStatusReportInsufficientUpdate),
    recordEvent: update<RecordEventInput>(recordEventUpdate),
    agreeDeviation: update<AgreeDeviationInput>(agreeDeviationUpdate),
    updateExitPlan: update<UpdateExitPlanInput>(updateExitPlanUpdate),
    agreeExtraStatusReport: update<AgreeExtraStatusReportInput>(agreeExtraStatusReportUpdate),
    correct: update<CorrectInput>(correctRecordUpdate),
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
