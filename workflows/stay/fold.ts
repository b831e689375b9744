import { INSTITUTION_AVAILABILITY, MILESTONE_RULES, milestoneRule, PARTICIPATION_END } from '../../rules/milestones';
import { followAnchor } from '../../rules/anchored-deadlines';
import { type DueAnchors, lastMeeting, ruleDueDate } from '../../rules/due-dates';
import { NO_DEADLINE_AFTER_OFFER, SUPERSEDED_BY_OFFER } from '../../rules/housing-offer';
import { withDefaults } from '../../rules/interpretations';
import { addOffset, compareDates } from '../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import { milestoneOf } from './derived-stay';
import { rulesOf } from './command-registry';
import { hasFidelityRules } from './rule-set';
import type { CommandRecord, DerivedStay, MilestoneState, Registration, Transition } from './types';

/** Computes the stay from its registration and its (effective, already checked) records. */
export function fold(reg: Registration, records: CommandRecord[]): DerivedStay {
  let d = initialStay(reg);
  for (const record of records) d = apply(reg, d, record);
  return d;
}

/** A stay before any §3 event (also what the read model shows for stays written before the transition release). */
export const emptyTransition = (): Transition => ({
  housingOffered: null,
  dischargedOn: null,
  movedInOn: null,
  endedEarly: null,
  bydelChanges: [],
  exitPlan: null,
  availability: null,
  participationEndsOn: null,
  completedOn: null,
});

export function initialStay(reg: Registration): DerivedStay {
  const d: DerivedStay = {
    institutionId: reg.registeredInstitutionId,
    bydelId: reg.registeredBydelId,
    convener: 'institution',
    status: 'active',
    milestones: MILESTONE_RULES.map((rule) => ({
      key: rule.key,
      openedOn: rule.opens === 'admission' ? reg.admittedAt : null,
      dueDate: null,
      originalDueDate: null,
      doneAt: null,
      applicable: true,
      closedBy: null,
      details: null,
      occurrences: [],
      deviation: null,
    })),
    transition: emptyTransition(),
  };
  recompute(reg, d);
  return d;
}

/** Applies one (already checked) command to a copy of the stay, by the rules of its own module (commands/). */
export function apply(reg: Registration, prev: DerivedStay, record: CommandRecord): DerivedStay {
  // plain data, so a JSON copy is exact (and available in the workflow sandbox)
  const d: DerivedStay = JSON.parse(JSON.stringify(prev));
  rulesOf(record.command).apply(record.command, d, { reg, record });
  recompute(reg, d);
  return d;
}

/** Due dates, deviations and the §3 periods, from the rules table. */
function recompute(reg: Registration, d: DerivedStay): void {
  const t = d.transition;
  const v3 = hasFidelityRules(reg);
  const i = withDefaults(reg.interpretations);
  const anchors: Omit<DueAnchors, 'openedOn' | 'recurring'> = {
    admittedAt: reg.admittedAt,
    lastMeeting: lastMeeting((key) => {
      const m = milestoneOf(d, key);
      return [m.doneAt, ...m.occurrences];
    }),
    housingOfferedOn: t.housingOffered?.date ?? null,
    moveIn: t.movedInOn ?? t.housingOffered?.expectedMoveInDate ?? null,
    stayEnd: t.dischargedOn ?? t.endedEarly?.date ?? null,
    dischargedOn: t.dischargedOn,
  };
  // the due dates counted so far in this pass (the rule table lists the first meeting before the cooperation meeting)
  const dueOf = (key: MilestoneKey) => milestoneOf(d, key).dueDate;
  for (const m of d.milestones) {
    if (!m.openedOn) continue;
    const rule = milestoneRule(m.key);
    let computed: IsoDate | null;
    if (rule.due.from === 'agreed') {
      // the k-th report delivered meets the k-th agreed date; done once every agreed report is in
      const agreed = m.agreedDates ?? [];
      computed = agreed[m.occurrences.length] ?? null;
      m.doneAt = agreed.length > 0 && m.occurrences.length >= agreed.length ? m.occurrences.at(-1)! : null;
    } else {
      computed = ruleDueDate(
        rule,
        {
          ...anchors,
          openedOn: m.openedOn,
          ...(v3 ? { recurring: { dueOf, passed: m.passedDueDates ?? [] } } : {}),
        },
        i,
      );
    }
    if (m.deviation && reg.recurringDeviationsLapse && rule.recurring && lapsed(m, anchors.lastMeeting))
      m.deviation = null;
    m.dueDate = m.deviation ? m.deviation.dueDate : computed;
    m.originalDueDate = m.deviation ? computed : null;
  }
  if (v3) followAnchors(d, i, reg.offerKeepsAnchors === true, reg.offerAnchorsAsOffered === true);
  for (const m of d.milestones) {
    if (m.silencedBy !== NO_DEADLINE_AFTER_OFFER) continue;
    m.originalDueDate = m.dueDate ?? m.originalDueDate;
    m.dueDate = null;
  }
  t.availability = t.dischargedOn
    ? { from: t.dischargedOn, until: addOffset(t.dischargedOn, INSTITUTION_AVAILABILITY.offset) }
    : null;
  t.participationEndsOn =
    t.exitPlan?.participationEndsOn ?? (t.dischargedOn ? addOffset(t.dischargedOn, PARTICIPATION_END.offset) : null);
}

/**
 * An agreed deviation (§1) of a recurring deadline moves the one interval it was agreed for: once its date has passed
 * without a meeting (the next interval started), or a meeting is held after the day it was agreed, the deadline counts
 * from the latest meeting again (§2). Kept for good, it would hold the due date on a date already passed, or before
 * the meeting just held.
 */
function lapsed(m: MilestoneState, lastMeetingOn: IsoDate | null): boolean {
  const deviation = m.deviation!;
  if ((m.passedDueDates ?? []).includes(deviation.dueDate)) return true;
  return lastMeetingOn !== null && compareDates(lastMeetingOn, deviation.agreedOn) > 0;
}

/**
 * Deadlines tied to another (rule `anchor`) follow it when an agreed deviation moves it, unless they have an agreed
 * deviation of their own; and they are never due later than the anchor allows (rules/anchored-deadlines.ts).
 */
function followAnchors(
  d: DerivedStay,
  i: ReturnType<typeof withDefaults>,
  offerKeepsAnchors: boolean,
  anchorsAsOffered: boolean,
): void {
  for (const m of d.milestones) {
    const rule = milestoneRule(m.key);
    m.movedWith = null;
    if (!rule.anchor || !m.openedOn || m.deviation || !m.dueDate) continue;
    const anchor = milestoneOf(d, rule.anchor.milestone);
    // An anchor the offer superseded still moved its follower before the offer: one the offer found overdue stays as it
    // was (rules/housing-offer.ts), not back on the rule's own date with its missed deadline forgotten.
    const supersededAnchor = offerKeepsAnchors && anchor.closedBy === SUPERSEDED_BY_OFFER;
    // ...as it was on the offer: a deviation of the superseded anchor recorded after it (rules version 2 took one) moves
    // nothing the offer had already found overdue.
    const deadline =
      supersededAnchor && anchorsAsOffered
        ? (anchor.atOffer ?? null)
        : anchor.dueDate
          ? { dueDate: anchor.dueDate, originalDueDate: anchor.originalDueDate }
          : null;
    if (!deadline || (!anchor.applicable && !supersededAnchor)) continue;
    const followed = followAnchor(m.dueDate, deadline, rule.anchor, i);
    if (followed === m.dueDate) continue;
    m.originalDueDate = m.dueDate;
    m.dueDate = followed;
    m.movedWith = anchor.key;
  }
}
