import { refusal } from '../../../rules/refusals';
import type { IsoDate } from '../../../rules/types';
import type { CommandRules } from './command-rules';

/** The workflow completes the stay once the institution's part is over (§3.3). */
export type StayCompletedCommand = { type: 'stay-completed'; date: IsoDate };

export const stayCompleted: CommandRules<StayCompletedCommand> = {
  type: 'stay-completed',

  check: (_c, { actor }) =>
    actor.role === 'system' ? null : refusal('not-permitted', 'Only the workflow completes a stay.'),

  apply(c, d) {
    d.status = 'completed';
    d.transition.completedOn = c.date;
  },

  describe: (c) => ['stay.completed', null, { date: c.date, section: '§3.3' }],
};
