import { osloDate } from '../../../rules/oslo-calendar';
import { refusal, unknownMilestone } from '../../../rules/refusals';
import { isMilestoneKey, type MilestoneKey } from '../../../rules/types';
import { milestoneOf, partyOf } from '../derived-stay';
import { dependentsMoved } from '../stay-changes';
import type { Actor } from '../types';
import { completedStayRefusal, type SentCommandRules, silencedByOfferRefusal } from './command-rules';

/** The Update's input: the other party confirms a deviation proposed with `agreedBy: both` (§1). */
export type ConfirmDeviationInput = { milestone: string; actor: Actor };

export type ConfirmDeviationCommand = { type: 'confirm-deviation'; milestone: MilestoneKey };

/** The other party confirms a deviation proposed as agreed by both (§1); the date moves then. */
export const confirmDeviation: SentCommandRules<ConfirmDeviationCommand, ConfirmDeviationInput> = {
  type: 'confirm-deviation',

  toCommand: (i) =>
    isMilestoneKey(i.milestone) ? { type: 'confirm-deviation', milestone: i.milestone } : unknownMilestone(i.milestone),

  check(c, { d, actor }) {
    const completed = completedStayRefusal(d);
    if (completed) return completed;
    const m = milestoneOf(d, c.milestone);
    const p = m.pendingDeviation;
    if (!p)
      return refusal(
        'nothing-to-confirm',
        `No deviation of "${c.milestone}" awaits confirmation on this stay (Fellesskriv §1).`,
      );
    const party = partyOf(actor);
    if (!party)
      return refusal(
        'not-permitted',
        'The other party confirms a deviation; an administrator records one agreed by both with onBehalfOfBoth instead.',
      );
    if (party === p.proposedBy.party)
      return refusal(
        'not-permitted',
        `The ${p.proposedBy.party} proposed this deviation; a user of the ${party === 'institution' ? 'bydel' : 'institution'} confirms it.`,
      );
    if (m.doneAt) return refusal('already-done', `"${c.milestone}" is already done (${m.doneAt}); nothing to move.`);
    return null;
  },

  refuseNew: (c, { d }) => silencedByOfferRefusal(d, c.milestone),

  apply(c, d, { record }) {
    const m = milestoneOf(d, c.milestone);
    const p = m.pendingDeviation;
    const party = partyOf(record.actor);
    if (!p || !party) return;
    const on = osloDate(Date.parse(record.acceptedAt));
    m.deviation = {
      dueDate: p.dueDate,
      reason: p.reason,
      agreedBy: 'both',
      agreedOn: on,
      confirmedBy: {
        [p.proposedBy.party]: { sub: p.proposedBy.sub, on: p.proposedOn },
        [party]: { sub: record.actor.sub, on },
      },
    };
    m.pendingDeviation = null;
  },

  describe(c, before, after) {
    const pending = milestoneOf(before, c.milestone).pendingDeviation;
    return [
      'deviation.confirmed',
      c.milestone,
      {
        from: milestoneOf(before, c.milestone).dueDate,
        to: pending?.dueDate ?? null,
        proposedBy: pending?.proposedBy.party ?? null,
        proposedOn: pending?.proposedOn ?? null,
        ...dependentsMoved(before, after, c.milestone),
        section: '§1',
      },
    ];
  },
};
