import { milestoneRule } from '../../../rules/milestones';
import { refusal } from '../../../rules/refusals';
import type { IsoDate, MilestoneKey } from '../../../rules/types';
import { milestoneOf } from '../derived-stay';
import type { CommandRules } from './command-rules';

/** The workflow notes that a recurring deadline passed without an occurrence: the next interval starts. */
export type RecurringDuePassedCommand = { type: 'recurring-due-passed'; milestone: MilestoneKey; dueDate: IsoDate };

export const recurringDuePassed: CommandRules<RecurringDuePassedCommand> = {
  type: 'recurring-due-passed',

  check: (_c, { actor }) =>
    actor.role === 'system' ? null : refusal('not-permitted', 'Only the workflow notes a passed due date.'),

  apply(c, d) {
    const m = milestoneOf(d, c.milestone);
    m.passedDueDates = [...(m.passedDueDates ?? []), c.dueDate];
  },

  describe: (c, _before, after) => [
    'recurring.due-passed',
    c.milestone,
    { dueDate: c.dueDate, next: milestoneOf(after, c.milestone).dueDate, section: milestoneRule(c.milestone).section },
  ],
};
