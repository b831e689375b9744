import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AgreeDeviationInput,
  AgreeExtraStatusReportInput,
  CommandResult,
  CompleteMilestoneInput,
  CorrectInput,
  MarkInsufficientInput,
  RecordEventInput,
  StaySnapshot,
  UpdateExitPlanInput,
} from './types';

/**
 * The only place that names the stay workflow's messages. The wire strings are stored in workflow histories
 * of stays that run for months: they never change.
 */

/** Default task queue; the worker and the API read TEMPORAL_TASK_QUEUE so tests can isolate themselves. */
export const STAY_TASK_QUEUE = 'stay-transition';

/** One workflow per stay, named by the stay's UUID only — never by anything about the resident. */
export const stayWorkflowId = (stayId: string): string => `stay:${stayId}`;

/**
 * Completing a milestone is an Update, not a Signal, so the caller learns whether the rules accepted it and
 * gets an answer only after the read model reflects it (read-your-writes).
 */
export const completeMilestoneUpdate = defineUpdate<CommandResult, [CompleteMilestoneInput]>('complete-milestone');

/** The bydel finds the status report insufficient (§2.2): opens the `status-report-causes` task. */
export const markStatusReportInsufficientUpdate = defineUpdate<CommandResult, [MarkInsufficientInput]>(
  'mark-status-report-insufficient',
);

/** §3 events and the stay's lifecycle: housing-offered, discharged, moved-in, ended-early, bydel-changed. */
export const recordEventUpdate = defineUpdate<CommandResult, [RecordEventInput]>('record-event');

/** An agreed other time frame for a milestone (§1). */
export const agreeDeviationUpdate = defineUpdate<CommandResult, [AgreeDeviationInput]>('agree-deviation');

/** The exit plan / checklist (§3.2, vedlegg 1), recorded and edited before and after the exit meeting. */
export const updateExitPlanUpdate = defineUpdate<CommandResult, [UpdateExitPlanInput]>('update-exit-plan');

/** An extra status report agreed for the stay (§2.2), with its own due date. */
export const agreeExtraStatusReportUpdate = defineUpdate<CommandResult, [AgreeExtraStatusReportInput]>(
  'agree-extra-status-report',
);

/** Withdraws or re-dates an earlier completion or event, with a reason; the stay is recomputed from it. */
export const correctRecordUpdate = defineUpdate<CommandResult, [CorrectInput]>('correct-record');

/** Resolves once everything the workflow has accepted so far is in the read model. */
export const awaitReadModelUpdate = defineUpdate<CommandResult, []>('await-read-model');

/** The workflow's own state, for administrators and consistency checks. */
export const staySnapshotQuery = defineQuery<StaySnapshot>('stay-snapshot');
