import { INSTITUTION_AVAILABILITY, MILESTONE_RULES, milestoneRule, PARTICIPATION_END } from '../../rules/milestones';
import { followAnchor } from '../../rules/anchored-deadlines';
import { type DueAnchors, lastMeeting, ruleDueDate } from '../../rules/due-dates';
import {
  NO_DEADLINE_AFTER_OFFER,
  OVERDUE_BEFORE_OFFER,
  offerEffect,
  SUPERSEDED_BY_OFFER,
} from '../../rules/housing-offer';
import { withDefaults } from '../../rules/interpretations';
import { addOffset, compareDates, osloDate } from '../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import { milestoneOf, partyOf } from './derived-stay';
import { hasFidelityRules } from './rule-set';
import type { CommandRecord, DerivedStay, MilestoneState, Registration, StayEvent, Transition } from './types';

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

/** Applies one (already checked) command to a copy of the stay. */
export function apply(reg: Registration, prev: DerivedStay, record: CommandRecord): DerivedStay {
  const command = record.command;
  // plain data, so a JSON copy is exact (and available in the workflow sandbox)
  const d: DerivedStay = JSON.parse(JSON.stringify(prev));
  const t = d.transition;
  switch (command.type) {
    case 'complete-milestone': {
      const m = milestoneOf(d, command.key);
      const rule = milestoneRule(command.key);
      if (rule.recurring || rule.due.from === 'agreed')
        m.occurrences = [...m.occurrences, command.doneAt].sort(compareDates);
      else {
        m.doneAt = command.doneAt;
        m.details = command.onboarded ? { onboarded: true } : command.details;
        // done after all, though the housing offer had superseded it: it is recorded as done
        if (m.closedBy === SUPERSEDED_BY_OFFER) Object.assign(m, { applicable: true, closedBy: null });
      }
      break;
    }
    case 'mark-insufficient': {
      const causes = milestoneOf(d, 'status-report-causes');
      Object.assign(causes, { openedOn: command.date, doneAt: null, details: null, deviation: null });
      if (hasFidelityRules(reg)) {
        Object.assign(causes, { applicable: true, closedBy: null, pendingDeviation: null, silencedBy: null });
        // after a housing offer the housing track no longer escalates (§2): the causes are not mapped against a deadline
        if (t.housingOffered) Object.assign(causes, { applicable: false, closedBy: SUPERSEDED_BY_OFFER });
      }
      break;
    }
    case 'deviation': {
      const m = milestoneOf(d, command.milestone);
      const on = osloDate(Date.parse(record.acceptedAt));
      if (!hasFidelityRules(reg)) {
        m.deviation = { dueDate: command.dueDate, reason: command.reason, agreedBy: command.agreedBy, agreedOn: on };
        break;
      }
      const party = partyOf(record.actor);
      if (command.agreedBy === 'both' && party && !command.onBehalfOfBoth) {
        // §1 "avtales": agreed by both means the other party confirms before the date moves
        m.pendingDeviation = {
          dueDate: command.dueDate,
          reason: command.reason,
          proposedOn: on,
          proposedBy: { party, sub: record.actor.sub },
        };
        break;
      }
      m.deviation = {
        dueDate: command.dueDate,
        reason: command.reason,
        agreedBy: command.agreedBy,
        agreedOn: on,
        confirmedBy: party ? { [party]: { sub: record.actor.sub, on } } : {},
        ...(command.agreedBy === 'both'
          ? {
              statedOnBehalfOfBoth: { sub: record.actor.sub, role: record.actor.role, org: record.actor.org },
            }
          : {}),
      };
      m.pendingDeviation = null;
      break;
    }
    case 'confirm-deviation': {
      const m = milestoneOf(d, command.milestone);
      const p = m.pendingDeviation;
      const party = partyOf(record.actor);
      if (!p || !party) break;
      const on = osloDate(Date.parse(record.acceptedAt));
      m.deviation = {
        dueDate: p.dueDate,
        reason: p.reason,
        agreedBy: 'both',
        agreedOn: on,
        confirmedBy: {
          [p.proposedBy.party]: { sub: p.proposedBy.sub, on: p.proposedOn },
          [party]: { sub: record.actor.sub, on },
        },
      };
      m.pendingDeviation = null;
      break;
    }
    case 'recurring-due-passed': {
      const m = milestoneOf(d, command.milestone);
      m.passedDueDates = [...(m.passedDueDates ?? []), command.dueDate];
      break;
    }
    case 'exit-plan':
      t.exitPlan = command.plan;
      break;
    case 'extra-status-report': {
      const m = milestoneOf(d, 'extra-status-report');
      m.openedOn ??= osloDate(Date.parse(record.acceptedAt));
      m.agreedDates = [...(m.agreedDates ?? []), command.dueDate].sort(compareDates);
      break;
    }
    case 'stay-completed':
      d.status = 'completed';
      t.completedOn = command.date;
      break;
    case 'correction':
      break; // applied by effectiveRecords()
    case 'event':
      applyEvent(reg, d, command.event);
      break;
  }
  recompute(reg, d);
  return d;
}

function applyEvent(reg: Registration, d: DerivedStay, event: StayEvent): void {
  const v3 = hasFidelityRules(reg);
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
      if (v3) supersedeHousingTrack(d, event.date);
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
 */
function supersedeHousingTrack(d: DerivedStay, offeredOn: IsoDate): void {
  for (const m of d.milestones) {
    switch (offerEffect(milestoneRule(m.key), m, offeredOn)) {
      case 'superseded':
        Object.assign(m, { applicable: false, closedBy: SUPERSEDED_BY_OFFER });
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
    m.dueDate = m.deviation ? m.deviation.dueDate : computed;
    m.originalDueDate = m.deviation ? computed : null;
  }
  if (v3) followAnchors(d, i);
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
 * Deadlines tied to another (rule `anchor`) follow it when an agreed deviation moves it, unless they have an agreed
 * deviation of their own; and they are never due later than the anchor allows (rules/anchored-deadlines.ts).
 */
function followAnchors(d: DerivedStay, i: ReturnType<typeof withDefaults>): void {
  for (const m of d.milestones) {
    const rule = milestoneRule(m.key);
    m.movedWith = null;
    if (!rule.anchor || !m.openedOn || m.deviation || !m.dueDate) continue;
    const anchor = milestoneOf(d, rule.anchor.milestone);
    if (!anchor.dueDate || !anchor.applicable) continue;
    const followed = followAnchor(
      m.dueDate,
      { dueDate: anchor.dueDate, originalDueDate: anchor.originalDueDate },
      rule.anchor,
      i,
    );
    if (followed === m.dueDate) continue;
    m.originalDueDate = m.dueDate;
    m.dueDate = followed;
    m.movedWith = anchor.key;
  }
}
