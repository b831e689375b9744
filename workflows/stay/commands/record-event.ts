import {
  NO_DEADLINE_AFTER_OFFER,
  OVERDUE_BEFORE_OFFER,
  offerEffect,
  SUPERSEDED_BY_OFFER,
} from '../../../rules/housing-offer';
import { MILESTONE_RULES, milestoneRule } from '../../../rules/milestones';
import { compareDates } from '../../../rules/oslo-calendar';
import { type Refusal, refusal } from '../../../rules/refusals';
import type { IsoDate, MilestoneKey } from '../../../rules/types';
import { milestoneOf } from '../derived-stay';
import { hasFidelityRules } from '../rule-set';
import { underTheOffer } from '../stay-changes';
import type { Actor, DerivedStay, MilestoneState, StayEvent } from '../types';
import { type CheckContext, completedStayRefusal, type SentCommandRules } from './command-rules';

/** The Update's input (wire format: stored in workflow histories, so fields are only ever added). */
export type RecordEventInput = { event: StayEvent; actor: Actor };

export type RecordEventCommand = { type: 'event'; event: StayEvent };

/** §3 events and the stay's lifecycle: housing-offered, discharged, moved-in, ended-early, bydel-changed. */
export const recordEvent: SentCommandRules<RecordEventCommand, RecordEventInput> = {
  type: 'event',

  toCommand: (i) => ({ type: 'event', event: i.event }),

  check: (c, ctx) => completedStayRefusal(ctx.d) ?? checkEvent(c.event, ctx),

  apply: (c, d, { reg }) => applyEvent(hasFidelityRules(reg), d, c.event, reg.offerAnchorsAsOffered === true),

  describe(c, before, after) {
    const e = c.event;
    const details: Record<string, unknown> = { ...e, section: e.type === 'bydel-changed' ? '§2' : '§3' };
    delete details.type;
    if (e.type === 'bydel-changed') details.from = before.bydelId;
    if (before.convener !== after.convener) details.convener = { from: before.convener, to: after.convener };
    Object.assign(details, underTheOffer(before, after));
    return [`event.${e.type}`, null, details];
  },
};

function checkEvent(event: StayEvent, { reg, d, date, newRules }: CheckContext): Refusal | null {
  const t = d.transition;
  if (d.status !== 'active')
    return refusal('stay-closed', `The stay is ${d.status}; "${event.type}" can no longer be recorded.`);
  switch (event.type) {
    case 'housing-offered':
      if (t.housingOffered)
        return refusal(
          'already-done',
          `Housing was already offered on ${t.housingOffered.date}. A correction is a separate action.`,
        );
      if (event.expectedMoveInDate && compareDates(event.expectedMoveInDate, event.date) < 0) {
        return refusal(
          'date-before-prerequisite',
          `The expected move-in date ${event.expectedMoveInDate} is before the offer (${event.date}).`,
        );
      }
      return date(event.date);
    case 'discharged':
      if (t.dischargedOn) return refusal('already-done', `The resident was already discharged on ${t.dischargedOn}.`);
      if (!t.housingOffered) {
        return refusal(
          'prerequisite-missing',
          'Record "housing-offered" first — or, if the resident leaves without housing, record "ended-early" with reason "discharged-without-housing".',
        );
      }
      return date(event.date, t.housingOffered.date, 'the housing offer');
    case 'moved-in':
      if (t.movedInOn) return refusal('already-done', `The move-in was already recorded on ${t.movedInOn}.`);
      if (!t.housingOffered) return refusal('prerequisite-missing', 'Record "housing-offered" before the move-in.');
      return date(event.date, t.housingOffered.date, 'the housing offer');
    case 'ended-early':
      // after a discharge without a move-in, ended-early records where the resident went instead (rules version 3)
      if (t.dischargedOn && (!newRules || t.movedInOn))
        return refusal(
          'already-done',
          t.movedInOn
            ? `The resident was discharged on ${t.dischargedOn} and moved in on ${t.movedInOn}; the stay completes on its own.`
            : `The resident was discharged on ${t.dischargedOn}; the stay is not ending early.`,
        );
      return date(event.date, t.dischargedOn ?? reg.admittedAt, 'the discharge');
    case 'bydel-changed':
      if (event.bydelId === d.bydelId)
        return refusal('no-change', `The stay already belongs to bydel ${event.bydelId}.`);
      return date(event.date, t.bydelChanges.at(-1)?.date ?? reg.admittedAt, 'the previous change of bydel');
  }
}

function applyEvent(v3: boolean, d: DerivedStay, event: StayEvent, anchorsAsOffered: boolean): void {
  const t = d.transition;
  const open = (key: MilestoneKey, on: IsoDate) => {
    const m = milestoneOf(d, key);
    if (!m.openedOn) m.openedOn = on;
  };
  const close = (reason: string, keep: (m: MilestoneState) => boolean) => {
    for (const m of d.milestones) {
      if (m.openedOn && m.applicable && !m.doneAt && !keep(m)) {
        m.applicable = false;
        m.closedBy = reason;
      }
    }
  };
  switch (event.type) {
    case 'housing-offered':
      t.housingOffered = event;
      // §2: from the offer, the bydel convenes — whether or not the resident keeps the institution place
      d.convener = 'bydel';
      for (const rule of MILESTONE_RULES.filter((r) => r.opens === 'housing-offered')) {
        open(rule.key, event.date);
        const applies =
          rule.applicableWhen === 'booppfolging-decision'
            ? event.hasBooppfolgingDecision
            : rule.applicableWhen === 'follow-up-condition'
              ? event.housingConditionalOnFollowUp
              : true;
        if (!applies) Object.assign(milestoneOf(d, rule.key), { applicable: false, closedBy: 'not-in-offer' });
      }
      if (v3) supersedeHousingTrack(d, event.date, anchorsAsOffered);
      break;
    case 'moved-in':
      t.movedInOn = event.date;
      open('follow-up-meeting', event.date);
      if (v3) settle(d, 'move-in-recorded', event.date);
      break;
    case 'discharged':
      t.dischargedOn = event.date;
      open('final-report', event.date);
      close('discharged', (m) => milestoneRule(m.key).phase === 'transition');
      // where the resident went is recorded with moved-in or ended-early; the bydel is reminded if neither comes
      if (v3 && !t.movedInOn) open('move-in-recorded', event.date);
      break;
    case 'ended-early':
      if (v3) settle(d, 'move-in-recorded', event.date);
      t.endedEarly = event;
      d.status = 'ended';
      open('final-report', event.date);
      // §3.3: the final report is still due; nothing else is
      close('ended-early', (m) => m.key === 'final-report');
      break;
    case 'bydel-changed':
      t.bydelChanges = [...t.bydelChanges, { date: event.date, from: d.bydelId, to: event.bydelId }];
      d.bydelId = event.bydelId;
      break;
  }
}

/**
 * §2: the housing track exists to find housing. From the offer's date its milestones that are not yet done and not yet
 * overdue close as superseded (or stay open without a deadline); one already overdue stays as it was but raises
 * nothing further (rules/housing-offer.ts). Withdrawing the offer refolds the stay without it: all of this undone.
 * `anchorsAsOffered` (the ninth release): a superseded milestone keeps its deadline as the offer found it, what the
 * deadlines tied to it that the offer found overdue go on following (fold.ts followAnchors).
 */
function supersedeHousingTrack(d: DerivedStay, offeredOn: IsoDate, anchorsAsOffered: boolean): void {
  for (const m of d.milestones) {
    switch (offerEffect(milestoneRule(m.key), m, offeredOn)) {
      case 'superseded':
        Object.assign(m, { applicable: false, closedBy: SUPERSEDED_BY_OFFER });
        if (anchorsAsOffered) m.atOffer = m.dueDate ? { dueDate: m.dueDate, originalDueDate: m.originalDueDate } : null;
        break;
      case 'open-without-deadline':
        m.silencedBy = NO_DEADLINE_AFTER_OFFER;
        break;
      case 'silenced':
        m.silencedBy = OVERDUE_BEFORE_OFFER;
        break;
      case 'unchanged':
        break;
    }
  }
}

/** A milestone settled by an event (rule `settledBy`): done on the event's date, if it is open. */
function settle(d: DerivedStay, key: MilestoneKey, on: IsoDate): void {
  const m = milestoneOf(d, key);
  if (m.openedOn && m.applicable && !m.doneAt) m.doneAt = on;
}
