import { refusal, type Refusal } from '../../rules/refusals';
import { isMilestoneKey, MILESTONE_KEYS } from '../../rules/types';
import type {
  AgreeDeviationInput,
  AgreeExtraStatusReportInput,
  CompleteMilestoneInput,
  CorrectInput,
  MarkInsufficientInput,
  RecordEventInput,
  StayCommand,
  UpdateExitPlanInput,
} from './types';

const unknown = (key: string) =>
  refusal('unknown-milestone', `There is no milestone "${key}". Known milestones: ${MILESTONE_KEYS.join(', ')}.`);

/** Update inputs (their wire format) → the stay's commands; a refusal where the input names nothing the stay has. */
export const toCommand = {
  complete: (i: CompleteMilestoneInput): StayCommand | Refusal =>
    isMilestoneKey(i.key)
      ? { type: 'complete-milestone', key: i.key, doneAt: i.doneAt, details: i.details ?? null }
      : unknown(i.key),
  insufficient: (i: MarkInsufficientInput): StayCommand => ({ type: 'mark-insufficient', date: i.date }),
  event: (i: RecordEventInput): StayCommand => ({ type: 'event', event: i.event }),
  deviation: (i: AgreeDeviationInput): StayCommand | Refusal =>
    isMilestoneKey(i.milestone)
      ? { type: 'deviation', milestone: i.milestone, dueDate: i.dueDate, reason: i.reason, agreedBy: i.agreedBy }
      : unknown(i.milestone),
  exitPlan: (i: UpdateExitPlanInput): StayCommand => ({ type: 'exit-plan', plan: i.plan }),
  extraStatusReport: (i: AgreeExtraStatusReportInput): StayCommand => ({
    type: 'extra-status-report',
    dueDate: i.dueDate,
  }),
  correct: (i: CorrectInput): StayCommand | Refusal =>
    'milestone' in i.target && !isMilestoneKey(i.target.milestone)
      ? unknown(i.target.milestone)
      : { type: 'correction', target: i.target, action: i.action, date: i.date ?? null, reason: i.reason },
};

export const isRefusal = (value: StayCommand | Refusal): value is Refusal => 'code' in value;
