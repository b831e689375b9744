import type { DeadlineAnchor } from './milestones';
import type { Interpretations } from './interpretations';
import { addOffset, compareDates, daysBetween } from './oslo-calendar';
import type { IsoDate } from './types';

/** The anchor's deadline as the stay has it: the agreed date, and the rules' date when a deviation moved it. */
export type AnchorDeadline = { dueDate: IsoDate; originalDueDate: IsoDate | null };

/**
 * The due date of a deadline tied to an anchor (rule `anchor`): its own date moved by as many days as an agreed
 * deviation moved the anchor, and never later than the anchor's due date + offset. `own` is the date its own rule
 * gives; a deadline with an agreed deviation of its own does not follow (the caller keeps the deviation).
 */
export function followAnchor(
  own: IsoDate,
  anchor: AnchorDeadline,
  rule: DeadlineAnchor,
  interpretations: Interpretations,
): IsoDate {
  const moved = anchor.originalDueDate ? daysBetween(anchor.originalDueDate, anchor.dueDate) : 0;
  const shifted = addOffset(own, { days: moved });
  const latest = addOffset(anchor.dueDate, rule.offset(interpretations));
  return compareDates(shifted, latest) <= 0 ? shifted : latest;
}

/**
 * The latest date the dependent may have been done for the anchor to be completed on `anchorDoneAt` (the status
 * report "in good time before" the housing meeting; the mapping before the first meeting).
 */
export function latestDoneBefore(
  anchorDoneAt: IsoDate,
  rule: DeadlineAnchor,
  interpretations: Interpretations,
): IsoDate {
  return addOffset(anchorDoneAt, rule.offset(interpretations));
}
