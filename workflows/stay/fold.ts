import {
  INSTITUTION_AVAILABILITY,
  MILESTONE_RULES,
  type MilestoneRule,
  milestoneRule,
  PARTICIPATION_END,
} from '../../rules/milestones';
import { type DueAnchors, lastMeeting, ruleDueDate } from '../../rules/due-dates';
import { addOffset, compareDates, osloDate } from '../../rules/oslo-calendar';
import type { IsoDate, MilestoneKey, Party } from '../../rules/types';
import type { CommandRecord, DerivedStay, MilestoneState, StayEvent, StaySnapshot, Transition } from './types';

/** What the fold starts from: the registration, never changed by a command. */
export type Registration = Pick<
  StaySnapshot,
  'admittedAt' | 'registeredInstitutionId' | 'registeredBydelId' | 'interpretations'
>;

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
      }
      break;
    }
    case 'mark-insufficient': {
      const causes = milestoneOf(d, 'status-report-causes');
      Object.assign(causes, { openedOn: command.date, doneAt: null, details: null, deviation: null });
      break;
    }
    case 'deviation': {
      milestoneOf(d, command.milestone).deviation = {
        dueDate: command.dueDate,
        reason: command.reason,
        agreedBy: command.agreedBy,
        agreedOn: osloDate(Date.parse(record.acceptedAt)),
      };
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
      applyEvent(d, command.event);
      break;
  }
  recompute(reg, d);
  return d;
}

function applyEvent(d: DerivedStay, event: StayEvent): void {
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
      break;
    case 'moved-in':
      t.movedInOn = event.date;
      open('follow-up-meeting', event.date);
      break;
    case 'discharged':
      t.dischargedOn = event.date;
      open('final-report', event.date);
      close('discharged', (m) => milestoneRule(m.key).phase === 'transition');
      break;
    case 'ended-early':
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

/** Due dates, deviations and the §3 periods, from the rules table. */
function recompute(reg: Registration, d: DerivedStay): void {
  const t = d.transition;
  const anchors: Omit<DueAnchors, 'openedOn'> = {
    admittedAt: reg.admittedAt,
    lastMeeting: lastMeeting((key) => {
      const m = milestoneOf(d, key);
      return [m.doneAt, ...m.occurrences];
    }),
    housingOfferedOn: t.housingOffered?.date ?? null,
    moveIn: t.movedInOn ?? t.housingOffered?.expectedMoveInDate ?? null,
    stayEnd: t.dischargedOn ?? t.endedEarly?.date ?? null,
  };
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
      computed = ruleDueDate(rule, { ...anchors, openedOn: m.openedOn }, reg.interpretations);
    }
    m.dueDate = m.deviation ? m.deviation.dueDate : computed;
    m.originalDueDate = m.deviation ? computed : null;
  }
  t.availability = t.dischargedOn
    ? { from: t.dischargedOn, until: addOffset(t.dischargedOn, INSTITUTION_AVAILABILITY.offset) }
    : null;
  t.participationEndsOn =
    t.exitPlan?.participationEndsOn ?? (t.dischargedOn ? addOffset(t.dischargedOn, PARTICIPATION_END.offset) : null);
}

export function milestoneOf(d: DerivedStay, key: MilestoneKey): MilestoneState {
  const m = d.milestones.find((x) => x.key === key);
  if (!m) throw new Error(`stay has no milestone ${key}`);
  return m;
}

/** Who answers for a milestone now: its party, or whoever convenes the stay's meetings at this point. */
export function responsibleFor(rule: MilestoneRule, d: DerivedStay): Party {
  return rule.responsible === 'convener' ? d.convener : rule.responsible;
}
