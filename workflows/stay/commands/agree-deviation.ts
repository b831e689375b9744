import { latestDoneBefore } from '../../../rules/anchored-deadlines';
import { withDefaults } from '../../../rules/interpretations';
import { OVERDUE_BEFORE_OFFER } from '../../../rules/housing-offer';
import { milestoneRule } from '../../../rules/milestones';
import { addOffset, compareDates, daysBetween, osloDate } from '../../../rules/oslo-calendar';
import { type Refusal, refusal, unknownMilestone } from '../../../rules/refusals';
import { type IsoDate, isMilestoneKey, type MilestoneKey, type Party } from '../../../rules/types';
import { milestoneOf, partyOf } from '../derived-stay';
import { acceptedBeforeFidelityRules, hasFidelityRules } from '../rule-set';
import { dependentsMoved } from '../stay-changes';
import type { Actor, DerivedStay, Registration } from '../types';
import { completedStayRefusal, notOpen, type SentCommandRules, silencedByOfferRefusal } from './command-rules';

/** The Update's input (wire format: stored in workflow histories, so fields are only ever added). */
export type AgreeDeviationInput = {
  milestone: string;
  dueDate: IsoDate;
  reason: string;
  agreedBy: Party;
  /**
   * With `agreedBy: both`: the caller states that both parties agreed (audited as stated on their behalf), and the date
   * moves at once. Without it the other party confirms first (confirmDeviation).
   */
  onBehalfOfBoth?: boolean;
  actor: Actor;
};

export type DeviationCommand = {
  type: 'deviation';
  milestone: MilestoneKey;
  dueDate: IsoDate;
  reason: string;
  agreedBy: Party;
  onBehalfOfBoth?: boolean;
};

/** An agreed other time frame for a milestone (§1). */
export const agreeDeviation: SentCommandRules<DeviationCommand, AgreeDeviationInput> = {
  type: 'deviation',

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

  check(c, { reg, d, actor, newRules }) {
    const completed = completedStayRefusal(d);
    if (completed) return completed;
    if (!isMilestoneKey(c.milestone)) return unknownMilestone(c.milestone);
    const m = milestoneOf(d, c.milestone);
    if (!m.openedOn) return refusal('not-open', notOpen(c.milestone));
    if (!m.applicable) return refusal('not-open', `Milestone "${c.milestone}" does not apply to this stay.`);
    if (m.doneAt)
      return refusal(
        'already-done',
        `Milestone "${c.milestone}" is already done (${m.doneAt}); a deviation moves open deadlines only.`,
      );
    if (m.dueDate === c.dueDate) return refusal('no-change', `"${c.milestone}" is already due on ${c.dueDate}.`);
    if (compareDates(c.dueDate, m.openedOn) < 0) {
      return refusal(
        'date-before-prerequisite',
        `The agreed date ${c.dueDate} is before ${m.openedOn}, when "${c.milestone}" opened.`,
      );
    }
    if (!c.reason.trim()) return refusal('no-change', 'An agreed deviation needs its reason (Fellesskriv §1).');
    if (newRules) return checkDeviation(reg, d, c, actor);
    return null;
  },

  refuseNew: (c, { d }) => silencedByOfferRefusal(d, c.milestone),

  apply(c, d, { reg, record }) {
    const m = milestoneOf(d, c.milestone);
    const on = osloDate(Date.parse(record.acceptedAt));
    // Rules version 2 took a deviation of a deadline the offer had found overdue; version 3 refuses it (refuseNew), and
    // since the ninth release one recorded before the adoption moves nothing either: the missed deadline stays missed.
    if (reg.offerAnchorsAsOffered && m.silencedBy === OVERDUE_BEFORE_OFFER && acceptedBeforeFidelityRules(reg, record))
      return;
    // Rules version 2 took a deviation as agreed when it was recorded; one agreed so keeps its date under version 3
    // (the eighth release: before it, adopting version 3 turned it into a proposal awaiting the other party).
    if (!hasFidelityRules(reg) || (reg.olderDeviationsKept && acceptedBeforeFidelityRules(reg, record))) {
      m.deviation = { dueDate: c.dueDate, reason: c.reason, agreedBy: c.agreedBy, agreedOn: on };
      return;
    }
    const party = partyOf(record.actor);
    if (c.agreedBy === 'both' && party && !c.onBehalfOfBoth) {
      // §1 "avtales": agreed by both means the other party confirms before the date moves
      m.pendingDeviation = {
        dueDate: c.dueDate,
        reason: c.reason,
        proposedOn: on,
        proposedBy: { party, sub: record.actor.sub },
      };
      return;
    }
    m.deviation = {
      dueDate: c.dueDate,
      reason: c.reason,
      agreedBy: c.agreedBy,
      agreedOn: on,
      confirmedBy: party ? { [party]: { sub: record.actor.sub, on } } : {},
      ...(c.agreedBy === 'both'
        ? {
            statedOnBehalfOfBoth: { sub: record.actor.sub, role: record.actor.role, org: record.actor.org },
          }
        : {}),
    };
    m.pendingDeviation = null;
  },

  describe(c, before, after) {
    const after_ = milestoneOf(after, c.milestone);
    // a deviation agreed by both waits for the other party (rules version 3); otherwise the date has moved
    const proposed = !!after_.pendingDeviation;
    return [
      proposed ? 'deviation.proposed' : 'deviation.agreed',
      c.milestone,
      {
        from: milestoneOf(before, c.milestone).dueDate,
        to: c.dueDate,
        reason: c.reason,
        agreedBy: c.agreedBy,
        ...(proposed ? { awaiting: 'other-party' } : dependentsMoved(before, after, c.milestone)),
        ...(after_.deviation?.statedOnBehalfOfBoth && !proposed ? { statedOnBehalfOfBoth: true } : {}),
        section: '§1',
      },
    ];
  },
};

/**
 * Rules version 3 on agreed deviations (§1): one party records its own agreement (or one agreed by both, which the
 * other party confirms unless stated on behalf of both), and a deviation never moves a date back past a completion
 * it depends on.
 */
function checkDeviation(reg: Registration, d: DerivedStay, command: DeviationCommand, actor: Actor): Refusal | null {
  const party = partyOf(actor);
  if (party && command.agreedBy !== 'both' && command.agreedBy !== party) {
    return refusal(
      'not-permitted',
      `A deviation agreed by the ${command.agreedBy} is recorded by the ${command.agreedBy}. Record your own party's agreement, or agreedBy "both" (the ${command.agreedBy} then confirms it).`,
    );
  }
  const i = withDefaults(reg.interpretations);
  const rule = milestoneRule(command.milestone);
  for (const prerequisite of rule.requires) {
    const p = milestoneOf(d, prerequisite);
    if (!p.doneAt) continue;
    const anchor = milestoneRule(prerequisite).anchor;
    // the earliest date this milestone can be done on, given what it requires was done when it was
    const gap =
      anchor?.milestone === command.milestone ? -daysBetween(p.doneAt, latestDoneBefore(p.doneAt, anchor, i)) : 0;
    const earliest = addOffset(p.doneAt, { days: gap });
    if (compareDates(command.dueDate, earliest) < 0) {
      return refusal(
        'date-before-prerequisite',
        `The agreed date ${command.dueDate} is before ${earliest}: "${command.milestone}" requires "${prerequisite}", done on ${p.doneAt}${gap ? ` (and ${gap} days after it)` : ''}. A deviation never moves a date back past a completion.`,
      );
    }
  }
  const m = milestoneOf(d, command.milestone);
  const last = m.occurrences.at(-1);
  if (rule.recurring && last && compareDates(command.dueDate, last) < 0) {
    return refusal(
      'date-before-prerequisite',
      `The agreed date ${command.dueDate} is before the latest "${command.milestone}" on ${last}. A deviation never moves a date back past a completion.`,
    );
  }
  return null;
}
