import type { MilestoneRule } from '../../rules/milestones';
import type { MilestoneKey, Party } from '../../rules/types';
import type { Actor, DerivedStay, MilestoneState } from './types';

/** Reading the stay as the fold derived it: one of its milestones, who answers for it, whom a user acts for. */

export function milestoneOf(d: DerivedStay, key: MilestoneKey): MilestoneState {
  const m = d.milestones.find((x) => x.key === key);
  if (!m) throw new Error(`stay has no milestone ${key}`);
  return m;
}

/** Who answers for a milestone now: its party, or whoever convenes the stay's meetings at this point. */
export function responsibleFor(rule: MilestoneRule, d: DerivedStay): Party {
  return rule.responsible === 'convener' ? d.convener : rule.responsible;
}

/** The party a user acts for; administrators act for neither. */
export const partyOf = (actor: Actor): 'institution' | 'bydel' | null =>
  actor.role === 'institution' || actor.role === 'bydel' ? actor.role : null;
