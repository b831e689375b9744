import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { STAFF_ROLES, type StaffRole } from '../../rules/permissions';
import type { Refusal } from '../../rules/refusals';
import { agreeDeviation } from './commands/agree-deviation';
import { agreeExtraStatusReport } from './commands/agree-extra-status-report';
import type { SentCommandRules } from './commands/command-rules';
import { completeMilestone } from './commands/complete-milestone';
import { confirmDeviation } from './commands/confirm-deviation';
import { correctRecord } from './commands/correct-record';
import { markStatusReportInsufficient } from './commands/mark-status-report-insufficient';
import { recordEvent } from './commands/record-event';
import { updateExitPlan } from './commands/update-exit-plan';
import type { Actor, CommandResult, StaySnapshot } from './types';

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
 * A command on a stay: the Update that carries it, its rules (commands/: how its input becomes the stay's command,
 * when it is refused, what it changes, how the audit says it), and who may send it (the API checks the roles; the
 * stay's own checks say the rest). Commands are Updates, not Signals, so the caller learns whether the rules accepted
 * it and gets an answer only after the read model reflects it (read-your-writes).
 */
export type StayCommandDefinition<I extends { actor: Actor }, C extends { type: string }> = {
  update: UpdateDefinition<CommandResult, [I]>;
  rules: SentCommandRules<C, I>;
  roles: readonly StaffRole[];
  /** Why another role may not send it (the API's 403 detail). */
  notPermitted?: string;
};

const stayCommand = <I extends { actor: Actor }, C extends { type: string }>(
  wireName: string,
  rules: SentCommandRules<C, I>,
  access: Pick<StayCommandDefinition<I, C>, 'roles' | 'notPermitted'>,
): StayCommandDefinition<I, C> => ({ update: defineUpdate<CommandResult, [I]>(wireName), rules, ...access });

/** Every command on a stay, in the order the workflow registers them. */
export const STAY_COMMANDS = {
  completeMilestone: stayCommand('complete-milestone', completeMilestone, { roles: STAFF_ROLES }),
  markStatusReportInsufficient: stayCommand('mark-status-report-insufficient', markStatusReportInsufficient, {
    roles: ['bydel', 'admin'],
    notPermitted: 'Only the bydel can mark the status report insufficient (§2.2).',
  }),
  recordEvent: stayCommand('record-event', recordEvent, { roles: STAFF_ROLES }),
  agreeDeviation: stayCommand('agree-deviation', agreeDeviation, { roles: STAFF_ROLES }),
  confirmDeviation: stayCommand('confirm-deviation', confirmDeviation, {
    roles: ['institution', 'bydel'],
    notPermitted:
      'The other party (an institution or bydel user) confirms a deviation; an administrator records one agreed by both with onBehalfOfBoth instead.',
  }),
  updateExitPlan: stayCommand('update-exit-plan', updateExitPlan, { roles: STAFF_ROLES }),
  agreeExtraStatusReport: stayCommand('agree-extra-status-report', agreeExtraStatusReport, { roles: STAFF_ROLES }),
  correct: stayCommand('correct-record', correctRecord, { roles: STAFF_ROLES }),
};

export type StayCommandName = keyof typeof STAY_COMMANDS;

/** The Update input of a command (its wire format, stored in histories: fields are only ever added). */
export type StayCommandInput<N extends StayCommandName> =
  (typeof STAY_COMMANDS)[N] extends StayCommandDefinition<infer I, infer _C> ? I : never;

export const isRefusal = <C extends object>(value: C | Refusal): value is Refusal => 'code' in value;

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
