import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { STAFF_ROLES, type StaffRole } from '../../rules/permissions';
import { type Refusal, unknownMilestone } from '../../rules/refusals';
import { isMilestoneKey } from '../../rules/types';
import type {
  Actor,
  AgreeDeviationInput,
  AgreeExtraStatusReportInput,
  CommandResult,
  CompleteMilestoneInput,
  ConfirmDeviationInput,
  CorrectInput,
  MarkInsufficientInput,
  RecordEventInput,
  StayCommand,
  StaySnapshot,
  UpdateExitPlanInput,
} from './types';

/**
 * The only place that names the stay workflow's messages. The wire strings are stored in workflow histories
 * of stays that run for months: they never change.
 */

/** Default task queue; the worker and the API read TEMPORAL_TASK_QUEUE so tests can isolate themselves. */
export const STAY_TASK_QUEUE = 'stay-transition';

const WORKFLOW_ID_PREFIX = 'stay:';

/** One workflow per stay, named by the stay's UUID only — never by anything about the resident. */
export const stayWorkflowId = (stayId: string): string => `${WORKFLOW_ID_PREFIX}${stayId}`;

/** The stay a workflow id names, or null when it is not a stay's workflow. */
export const stayIdFromWorkflowId = (workflowId: string): string | null =>
  workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : null;

/**
 * A command on a stay: the Update that carries it, its conversion to the stay's command (a refusal where the input
 * names nothing the stay has), and who may send it (the API checks the roles; the stay's own checks say the rest).
 * Commands are Updates, not Signals, so the caller learns whether the rules accepted it and gets an answer only
 * after the read model reflects it (read-your-writes).
 */
export type StayCommandDefinition<I extends { actor: Actor }> = {
  update: UpdateDefinition<CommandResult, [I]>;
  // method syntax: the table's rows differ in input, and one loop registers them all
  toCommand(input: I): StayCommand | Refusal;
  roles: readonly StaffRole[];
  /** Why another role may not send it (the API's 403 detail). */
  notPermitted?: string;
};

const stayCommand = <I extends { actor: Actor }>(
  wireName: string,
  spec: Omit<StayCommandDefinition<I>, 'update'>,
): StayCommandDefinition<I> => ({ update: defineUpdate<CommandResult, [I]>(wireName), ...spec });

/** Every command on a stay, in the order the workflow registers them. */
export const STAY_COMMANDS = {
  completeMilestone: stayCommand<CompleteMilestoneInput>('complete-milestone', {
    roles: STAFF_ROLES,
    toCommand: (i) =>
      isMilestoneKey(i.key)
        ? { type: 'complete-milestone', key: i.key, doneAt: i.doneAt, details: i.details ?? null }
        : unknownMilestone(i.key),
  }),
  /** The bydel finds the status report insufficient (§2.2): opens the `status-report-causes` task. */
  markStatusReportInsufficient: stayCommand<MarkInsufficientInput>('mark-status-report-insufficient', {
    roles: ['bydel', 'admin'],
    notPermitted: 'Only the bydel can mark the status report insufficient (§2.2).',
    toCommand: (i) => ({ type: 'mark-insufficient', date: i.date }),
  }),
  /** §3 events and the stay's lifecycle: housing-offered, discharged, moved-in, ended-early, bydel-changed. */
  recordEvent: stayCommand<RecordEventInput>('record-event', {
    roles: STAFF_ROLES,
    toCommand: (i) => ({ type: 'event', event: i.event }),
  }),
  /** An agreed other time frame for a milestone (§1). */
  agreeDeviation: stayCommand<AgreeDeviationInput>('agree-deviation', {
    roles: STAFF_ROLES,
    toCommand: (i) =>
      isMilestoneKey(i.milestone)
        ? {
            type: 'deviation',
            milestone: i.milestone,
            dueDate: i.dueDate,
            reason: i.reason,
            agreedBy: i.agreedBy,
            ...(i.onBehalfOfBoth ? { onBehalfOfBoth: true } : {}),
          }
        : unknownMilestone(i.milestone),
  }),
  /** The other party confirms a deviation proposed as agreed by both (§1); the date moves then. */
  confirmDeviation: stayCommand<ConfirmDeviationInput>('confirm-deviation', {
    roles: ['institution', 'bydel'],
    notPermitted:
      'The other party (an institution or bydel user) confirms a deviation; an administrator records one agreed by both with onBehalfOfBoth instead.',
    toCommand: (i) =>
      isMilestoneKey(i.milestone)
        ? { type: 'confirm-deviation', milestone: i.milestone }
        : unknownMilestone(i.milestone),
  }),
  /** The exit plan / checklist (§3.2, vedlegg 1), recorded and edited before and after the exit meeting. */
  updateExitPlan: stayCommand<UpdateExitPlanInput>('update-exit-plan', {
    roles: STAFF_ROLES,
    toCommand: (i) => ({ type: 'exit-plan', plan: i.plan }),
  }),
  /** An extra status report agreed for the stay (§2.2), with its own due date. */
  agreeExtraStatusReport: stayCommand<AgreeExtraStatusReportInput>('agree-extra-status-report', {
    roles: STAFF_ROLES,
    toCommand: (i) => ({ type: 'extra-status-report', dueDate: i.dueDate }),
  }),
  /** Withdraws or re-dates an earlier completion or event, with a reason; the stay is recomputed from it. */
  correct: stayCommand<CorrectInput>('correct-record', {
    roles: STAFF_ROLES,
    toCommand: (i) =>
      'milestone' in i.target && !isMilestoneKey(i.target.milestone)
        ? unknownMilestone(i.target.milestone)
        : { type: 'correction', target: i.target, action: i.action, date: i.date ?? null, reason: i.reason },
  }),
};

export type StayCommandName = keyof typeof STAY_COMMANDS;

/** The Update input of a command (its wire format, stored in histories: fields are only ever added). */
export type StayCommandInput<N extends StayCommandName> =
  (typeof STAY_COMMANDS)[N] extends StayCommandDefinition<infer I> ? I : never;

export const isRefusal = (value: StayCommand | Refusal): value is Refusal => 'code' in value;

export const completeMilestoneUpdate = STAY_COMMANDS.completeMilestone.update;
export const markStatusReportInsufficientUpdate = STAY_COMMANDS.markStatusReportInsufficient.update;
export const recordEventUpdate = STAY_COMMANDS.recordEvent.update;
export const agreeDeviationUpdate = STAY_COMMANDS.agreeDeviation.update;
export const confirmDeviationUpdate = STAY_COMMANDS.confirmDeviation.update;
export const updateExitPlanUpdate = STAY_COMMANDS.updateExitPlan.update;
export const agreeExtraStatusReportUpdate = STAY_COMMANDS.agreeExtraStatusReport.update;
export const correctRecordUpdate = STAY_COMMANDS.correct.update;

/** Resolves once everything the workflow has accepted so far is in the read model. */
export const awaitReadModelUpdate = defineUpdate<CommandResult, []>('await-read-model');

/** The workflow's own state, for administrators and consistency checks. */
export const staySnapshotQuery = defineQuery<StaySnapshot>('stay-snapshot');
