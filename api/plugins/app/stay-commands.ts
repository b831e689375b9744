import { createHash, randomUUID } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Interpretations } from '../../../rules/interpretations';
import { refusal } from '../../../rules/refusals';
import {
  awaitReadModelUpdate,
  STAY_COMMANDS,
  type StayCommandDefinition,
  type StayCommandInput,
  type StayCommandName,
  stayWorkflowId,
} from '../../../workflows/stay/definitions';
import { CommandRefused, StayState } from '../../../workflows/stay/stay-state';
import type { stayWorkflow } from '../../../workflows/stay/stay-workflow';
import type { CommandResult, RegisterStayInput, StayCommand } from '../../../workflows/stay/types';
import { actorOf, type Caller } from './auth';

export type StayCommands = ReturnType<typeof createStayCommands>;

/** What a person registers; the stay id, the rules' interpretations and the actor come from the command layer. */
export type StayRegistration = Pick<RegisterStayInput, 'residentRef' | 'institutionId' | 'bydelId' | 'admittedAt'> & {
  completed?: RegisterStayInput['completed'];
  previousStayId?: string | null;
};

export type StayCommandOptions = {
  client: Client;
  taskQueue: string;
  timeoutMs: number;
  interpretations: Interpretations;
  /** Days after a stay closes that its personal data is removed (rules/retention.ts). */
  retentionDays?: number;
};

/** A retried registration with the same Idempotency-Key from the same user names the same stay. */
function stayIdFor(caller: Caller, idempotencyKey: string): string {
  const h = createHash('sha256').update(`${caller.sub}\0${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * HTTP → Temporal. Every call is bounded by `timeoutMs`: with no worker polling, the SDK would otherwise
 * retry an Update forever and the request would hang.
 */
export function createStayCommands({
  client,
  taskQueue,
  timeoutMs,
  interpretations,
  retentionDays,
}: StayCommandOptions) {
  const bounded = <T>(fn: () => Promise<T>): Promise<T> => client.withAbortSignal(AbortSignal.timeout(timeoutMs), fn);

  const awaitReadModel = (stayId: string): Promise<CommandResult> =>
    bounded(() => client.workflow.getHandle(stayWorkflowId(stayId)).executeUpdate(awaitReadModelUpdate, { args: [] }));

  return {
    /**
     * Registers a stay: the same checks the workflow applies, then its workflow started, answered once its read
     * model is written. With an Idempotency-Key a retry names the same stay and waits for it instead.
     */
    async register(registration: StayRegistration, caller: Caller, idempotencyKey?: string): Promise<string> {
      const input: RegisterStayInput = {
        stayId: idempotencyKey ? stayIdFor(caller, idempotencyKey) : randomUUID(),
        residentRef: registration.residentRef,
        institutionId: registration.institutionId,
        bydelId: registration.bydelId,
        admittedAt: registration.admittedAt,
        completed: registration.completed,
        previousStayId: registration.previousStayId ?? null,
        interpretations,
        ...(retentionDays ? { retentionDays } : {}),
        actor: actorOf(caller),
      };
      const refused = StayState.validateRegistration(input, Date.now());
      if (refused) throw new CommandRefused(refused);
      try {
        // One round trip: the server starts the workflow and delivers the Update in its first workflow task, which
        // writes the read model and answers it.
        await bounded(() =>
          client.workflow.executeUpdateWithStart(awaitReadModelUpdate, {
            args: [],
            startWorkflowOperation: new WithStartWorkflowOperation<typeof stayWorkflow>('stayWorkflow', {
              workflowId: stayWorkflowId(input.stayId),
              taskQueue,
              args: [{ register: input }],
              workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
              workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
            }),
          }),
        );
      } catch (err) {
        if (!(idempotencyKey && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        await awaitReadModel(input.stayId);
      }
      return input.stayId;
    },

    /** Runs a command of the table as its Update on the stay's workflow; a finished workflow means the stay is closed. */
    execute<N extends StayCommandName>(
      name: N,
      stayId: string,
      input: StayCommandInput<N>,
      updateId?: string,
    ): Promise<CommandResult> {
      const { update } = STAY_COMMANDS[name] as unknown as StayCommandDefinition<StayCommandInput<N>, StayCommand>;
      return bounded(() =>
        client.workflow.getHandle(stayWorkflowId(stayId)).executeUpdate(update, { args: [input], updateId }),
      ).catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) {
          throw new CommandRefused(
            refusal(
              'stay-closed',
              "The stay's workflow has finished (completed or ended); nothing more can be recorded on it.",
            ),
          );
        }
        throw err;
      });
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    stayCommands: StayCommands;
  }
}

export default fp(
  async (app: FastifyInstance, opts: StayCommandOptions) => {
    app.decorate('stayCommands', createStayCommands(opts));
  },
  { name: 'stay-commands' },
);
