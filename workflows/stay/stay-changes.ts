import { SUPERSEDED_BY_OFFER } from '../../rules/housing-offer';
import type { MilestoneKey } from '../../rules/types';
import { milestoneOf } from './derived-stay';
import type { DerivedStay } from './types';

/** What a command changed beyond itself, as the audit trail names it: the stay before and after, compared. */

/** The deadlines that followed a moved anchor (rule `anchor`): `{ moved: { key: { from, to } } }`, or nothing. */
export function dependentsMoved(
  before: DerivedStay,
  after: DerivedStay,
  anchor: MilestoneKey,
): Record<string, unknown> {
  const moved: Record<string, { from: string | null; to: string | null }> = {};
  for (const m of after.milestones) {
    const was = milestoneOf(before, m.key);
    if (m.movedWith === anchor && m.dueDate !== was.dueDate) moved[m.key] = { from: was.dueDate, to: m.dueDate };
  }
  return Object.keys(moved).length > 0 ? { moved } : {};
}

/**
 * What a housing offer did to the housing track, or what withdrawing it undid: `superseded` (closed as not
 * applicable), `silenced` (kept, no further alarm), `reopened`.
 */
export function underTheOffer(before: DerivedStay, after: DerivedStay): Record<string, MilestoneKey[]> {
  const superseded: MilestoneKey[] = [];
  const silenced: MilestoneKey[] = [];
  const reopened: MilestoneKey[] = [];
  for (const m of after.milestones) {
    const was = milestoneOf(before, m.key);
    if (m.closedBy === SUPERSEDED_BY_OFFER && was.closedBy !== SUPERSEDED_BY_OFFER) superseded.push(m.key);
    else if (m.silencedBy && !was.silencedBy) silenced.push(m.key);
    else if ((was.closedBy === SUPERSEDED_BY_OFFER || was.silencedBy) && !m.closedBy && !m.silencedBy && !m.doneAt)
      reopened.push(m.key);
  }
  return {
    ...(superseded.length > 0 ? { superseded } : {}),
    ...(silenced.length > 0 ? { silenced } : {}),
    ...(reopened.length > 0 ? { reopened } : {}),
  };
}
