import { compareDates, osloDate } from '../../../rules/oslo-calendar';
import { refusal } from '../../../rules/refusals';
import type { IsoDate } from '../../../rules/types';
import { milestoneOf } from '../derived-stay';
import type { Actor } from '../types';
import { inactiveStayRefusal, type SentCommandRules } from './command-rules';

/** The Update's input: §2.2, an extra status report agreed for this stay, due on its own date. */
export type AgreeExtraStatusReportInput = { dueDate: IsoDate; actor: Actor };

export type ExtraStatusReportCommand = { type: 'extra-status-report'; dueDate: IsoDate };

/** An extra status report agreed for the stay (§2.2), with its own due date. */
export const agreeExtraStatusReport: SentCommandRules<ExtraStatusReportCommand, AgreeExtraStatusReportInput> = {
  type: 'extra-status-report',

  toCommand: (i) => ({ type: 'extra-status-report', dueDate: i.dueDate }),

  check(c, { d, today }) {
    const inactive = inactiveStayRefusal(d);
    if (inactive) return inactive;
    const m = milestoneOf(d, 'extra-status-report');
    if ((m.agreedDates ?? []).includes(c.dueDate))
      return refusal('already-done', `An extra status report due ${c.dueDate} is already agreed.`);
    if (compareDates(c.dueDate, today) < 0)
      return refusal(
        'date-before-prerequisite',
        `The agreed due date ${c.dueDate} has already passed (today is ${today}); agree a date from today on.`,
      );
    return null;
  },

  // A status report is the institution's recommendation during the stay (§2.2); once the resident is discharged, its
  // report is the final report (§3.3). The discharge closes the status reports that were open, so one agreed after it
  // was recorded but never followed up (found by the property tests): refused for what is sent from now on.
  refuseNew(_c, { d }) {
    const discharged = d.transition.dischargedOn;
    if (!discharged) return null;
    return refusal(
      'not-open',
      `The resident was discharged on ${discharged}: extra status reports are agreed during the stay (§2.2); after the discharge the institution's report is the final report (§3.3).`,
    );
  },

  apply(c, d, { record }) {
    const m = milestoneOf(d, 'extra-status-report');
    m.openedOn ??= osloDate(Date.parse(record.acceptedAt));
    m.agreedDates = [...(m.agreedDates ?? []), c.dueDate].sort(compareDates);
  },

  describe: (c) => ['extra-status-report.agreed', 'extra-status-report', { dueDate: c.dueDate, section: '§2.2' }],
};
