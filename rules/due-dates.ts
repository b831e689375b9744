import type { Interpretations } from './interpretations';
import { MILESTONE_RULES, type MilestoneRule } from './milestones';
import { addOffset, compareDates } from './oslo-calendar';
import { recurringDueDate } from './recurring-deadlines';
import type { IsoDate, MilestoneKey } from './types';

/** What a stay's deadlines are counted from; null where it has not happened (or is not known) yet. */
export type DueAnchors = {
  admittedAt: IsoDate;
  /** When the milestone itself was opened (e.g. the status report was marked insufficient). */
  openedOn: IsoDate | null;
  /** The latest cooperation meeting of any kind (see lastMeeting). */
  lastMeeting: IsoDate | null;
  housingOfferedOn: IsoDate | null;
  /** The move-in, or before it is recorded the expected move-in date given with the offer. */
  moveIn: IsoDate | null;
  /** Discharge, or the date a stay ended early. */
  stayEnd: IsoDate | null;
  /** The discharge date (§3). */
  dischargedOn?: IsoDate | null;
  /**
   * Rules version 3, recurring deadlines: before any meeting is held the cooperation meeting counts from another
   * deadline (`dueOf` its `untilFirst`, the first meeting), and each due date that `passed` without a meeting starts the
   * next interval (rules/recurring-deadlines.ts). Without it (stays on older rules): no due date before a meeting, no
   * next interval.
   */
  recurring?: { dueOf: (key: MilestoneKey) => IsoDate | null; passed: readonly IsoDate[] };
};

/**
 * A milestone's due date as the rule table counts it (before any agreed deviation), with the interpretations the
 * stay was registered with; null until its anchor exists. Milestones due on `agreed` dates have none here: their
 * dates are agreed per stay. The workflow's timers and the registration page's preview both count with this.
 */
export function ruleDueDate(
  rule: MilestoneRule,
  anchors: DueAnchors,
  interpretations: Interpretations,
): IsoDate | null {
  const due = rule.due;
  const from = (anchor: IsoDate | null, offset: Parameters<typeof addOffset>[1]) =>
    anchor ? addOffset(anchor, offset) : null;
  switch (due.from) {
    case 'admission':
      return addOffset(anchors.admittedAt, due.offset);
    case 'opened':
      return from(anchors.openedOn, due.offset(interpretations));
    case 'last-meeting': {
      if (!anchors.recurring) return from(anchors.lastMeeting, due.offset(interpretations));
      const anchor = anchors.lastMeeting ?? anchors.recurring.dueOf(due.untilFirst);
      return anchor ? recurringDueDate(anchor, due.offset(interpretations), anchors.recurring.passed) : null;
    }
    case 'housing-offered':
      return from(anchors.housingOfferedOn, due.offset(interpretations));
    case 'move-in':
      return from(anchors.moveIn, due.offset(interpretations));
    case 'stay-end':
      return from(anchors.stayEnd, due.offset);
    case 'discharge':
      return from(anchors.dischargedOn ?? null, due.offset(interpretations));
    case 'agreed':
      return null;
  }
}

/** The latest date of any meeting milestone (`isMeeting`), from the dates recorded for each milestone. */
export function lastMeeting(datesOf: (key: MilestoneKey) => readonly (IsoDate | null | undefined)[]): IsoDate | null {
  let last: IsoDate | null = null;
  for (const rule of MILESTONE_RULES) {
    if (!rule.isMeeting) continue;
    for (const date of datesOf(rule.key)) if (date && (!last || compareDates(date, last) > 0)) last = date;
  }
  return last;
}
