import { mayCorrect } from '../../../rules/permissions';
import { refusal, unknownMilestone } from '../../../rules/refusals';
import { type IsoDate, isMilestoneKey, type StayEventType } from '../../../rules/types';
import { correctionTarget, effectiveRecords, recordDate } from '../corrections';
import { underTheOffer } from '../stay-changes';
import type { Actor, CommandRecord } from '../types';
import type { SentCommandRules } from './command-rules';

export type CorrectionTarget = { milestone: string } | { event: StayEventType };

/** The Update's input (wire format: stored in workflow histories, so fields are only ever added). */
export type CorrectInput = {
  target: CorrectionTarget;
  action: 'withdraw' | 'change-date';
  /** The corrected date, for `change-date`. */
  date?: IsoDate | null;
  reason: string;
  actor: Actor;
};

export type CorrectionCommand = {
  type: 'correction';
  target: CorrectionTarget;
  action: 'withdraw' | 'change-date';
  date: IsoDate | null;
  reason: string;
};

/**
 * Withdraws or re-dates an earlier completion or event, with a reason. It changes nothing itself: the stay is folded
 * again from the records as corrected (corrections.ts), so everything that followed from the record follows anew.
 */
export const correctRecord: SentCommandRules<CorrectionCommand, CorrectInput> = {
  type: 'correction',

  toCommand: (i) =>
    'milestone' in i.target && !isMilestoneKey(i.target.milestone)
      ? unknownMilestone(i.target.milestone)
      : { type: 'correction', target: i.target, action: i.action, date: i.date ?? null, reason: i.reason },

  /**
   * It needs a reason, a record to correct, the right author, and the stay it leaves behind must still keep every
   * rule — each later record re-checked as of the day it was accepted.
   */
  check(c, { d, actor, nowMs, history }) {
    // the records a correction re-checks are those it leaves in effect: corrections are never among them
    if (!history) return null;
    if (d.status === 'completed')
      return refusal('stay-closed', 'The stay is completed; it can no longer be corrected.');
    if (!c.reason.trim()) return refusal('no-change', 'A correction needs a reason.');
    const candidate: CommandRecord = {
      seq: history.records.length + 1,
      actor,
      acceptedAt: new Date(nowMs).toISOString(),
      command: c,
    };
    const target = correctionTarget(effectiveRecords(history.records), c, candidate.seq);
    if (!target) {
      const what = 'milestone' in c.target ? `a completion of "${c.target.milestone}"` : `a "${c.target.event}" event`;
      return refusal('nothing-to-correct', `There is no ${what} on this stay to correct.`);
    }
    if (!mayCorrect(actor, target.record.actor)) {
      return refusal('not-permitted', 'Only the organisation that recorded it, or an administrator, can correct it.');
    }
    if (c.action === 'change-date') {
      if (!c.date) return refusal('no-change', 'A date correction needs the corrected date.');
      if (c.date === recordDate(target.record.command)) return refusal('no-change', `The date is already ${c.date}.`);
    }
    const broken = history.firstBrokenRule(effectiveRecords([...history.records, candidate]));
    if (broken) {
      return refusal('correction-breaks-rules', `After this correction the stay would break a rule: ${broken.message}`);
    }
    return null;
  },

  apply() {
    // applied by effectiveRecords(): the fold sees the records as corrected
  },

  describe: (c, before, after) => [
    `correction.${c.action}`,
    'milestone' in c.target && isMilestoneKey(c.target.milestone) ? c.target.milestone : null,
    {
      target: c.target,
      ...(c.date ? { date: c.date } : {}),
      reason: c.reason,
      convener: { from: before.convener, to: after.convener },
      ...underTheOffer(before, after),
    },
  ],
};
