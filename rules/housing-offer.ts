import type { MilestoneRule } from './milestones';
import { compareDates } from './oslo-calendar';
import type { IsoDate } from './types';

/** Why a housing-track milestone no longer applies after a housing offer (the milestone's `closedBy`). */
export const SUPERSEDED_BY_OFFER = 'superseded-by-housing-offer';

export type OfferEffect =
  /** not on the housing track, already done, or not open: the offer changes nothing */
  | 'unchanged'
  /** closes as not applicable, superseded by the offer */
  | 'superseded'
  /** stays open to record what is still sent, without a deadline */
  | 'open-without-deadline'
  /** already overdue on the offer date: stays as it was, but raises nothing further */
  | 'silenced';

/**
 * What housing offered on `offeredOn` does to an open in-stay milestone (§2: the housing track exists to find housing;
 * rule `onHousingOffered`). Decided by the offer's own date, so an offer recorded late but dated before a deadline
 * still supersedes it — the alarm that deadline raised meanwhile was false.
 */
export function offerEffect(
  rule: Pick<MilestoneRule, 'onHousingOffered'>,
  m: { dueDate: IsoDate | null; doneAt: IsoDate | null; applicable: boolean; openedOn: IsoDate | null },
  offeredOn: IsoDate,
): OfferEffect {
  if (!rule.onHousingOffered || !m.openedOn || !m.applicable || m.doneAt) return 'unchanged';
  // due on D is on time through D: overdue on the offer date means due before it
  if (m.dueDate && compareDates(m.dueDate, offeredOn) < 0) return 'silenced';
  return rule.onHousingOffered;
}

/** An open milestone that was already overdue on the offer date: it stays as it was, but raises nothing further. */
export const OVERDUE_BEFORE_OFFER = 'overdue-before-housing-offer';
/** An open milestone kept after the offer to record what is still sent, without a deadline (`applications`). */
export const NO_DEADLINE_AFTER_OFFER = 'no-deadline-after-housing-offer';
