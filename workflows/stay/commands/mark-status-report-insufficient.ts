import { SUPERSEDED_BY_OFFER } from '../../../rules/housing-offer';
import { refusal } from '../../../rules/refusals';
import type { IsoDate } from '../../../rules/types';
import { milestoneOf } from '../derived-stay';
import { hasFidelityRules } from '../rule-set';
import type { Actor } from '../types';
import { inactiveStayRefusal, type SentCommandRules } from './command-rules';

/** The Update's input (wire format: stored in workflow histories, so fields are only ever added). */
export type MarkInsufficientInput = { date: IsoDate; actor: Actor };

export type MarkInsufficientCommand = { type: 'mark-insufficient'; date: IsoDate };

/** The bydel finds the status report insufficient (§2.2): opens the `status-report-causes` task. */
export const markStatusReportInsufficient: SentCommandRules<MarkInsufficientCommand, MarkInsufficientInput> = {
  type: 'mark-insufficient',

  toCommand: (i) => ({ type: 'mark-insufficient', date: i.date }),

  check(c, { d, date }) {
    const inactive = inactiveStayRefusal(d);
    if (inactive) return inactive;
    const report = milestoneOf(d, 'status-report');
    if (!report.doneAt)
      return refusal(
        'prerequisite-missing',
        'The status report has not been completed yet, so it cannot be marked insufficient.',
      );
    const causes = milestoneOf(d, 'status-report-causes');
    if (causes.openedOn && !causes.doneAt && causes.applicable) {
      return refusal(
        'already-done',
        `The status report is already marked insufficient (on ${causes.openedOn}); map the causes first.`,
      );
    }
    return date(c.date, report.doneAt, 'the status report');
  },

  apply(c, d, { reg }) {
    const causes = milestoneOf(d, 'status-report-causes');
    Object.assign(causes, { openedOn: c.date, doneAt: null, details: null, deviation: null });
    if (hasFidelityRules(reg)) {
      Object.assign(causes, { applicable: true, closedBy: null, pendingDeviation: null, silencedBy: null });
      // after a housing offer the housing track no longer escalates (§2): the causes are not mapped against a deadline
      if (d.transition.housingOffered) Object.assign(causes, { applicable: false, closedBy: SUPERSEDED_BY_OFFER });
    }
  },

  describe: (c) => ['status-report.marked-insufficient', 'status-report', { date: c.date, section: '§2.2' }],
};
