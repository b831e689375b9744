import { milestoneRule } from '../../rules/milestones';
import { compareDates, osloDate } from '../../rules/oslo-calendar';
import { mayCorrect } from '../../rules/permissions';
import { type Refusal, refusal, unknownMilestone } from '../../rules/refusals';
import { isMilestoneKey, type IsoDate, type MilestoneKey } from '../../rules/types';
import { type Correction, correctionTarget, effectiveRecords, recordDate } from './corrections';
import { apply, initialStay, milestoneOf, type Registration } from './fold';
import type { Actor, CommandRecord, DerivedStay, StayCommand, StayEvent, StaySnapshot } from './types';

type DateCheck = (value: IsoDate, notBefore?: IsoDate, what?: string) => Refusal | null;

/** Why `command` by `actor` would be refused on the stay `d` as of `today`, or null. Corrections: see checkCorrection. */
export function checkCommand(
  reg: Registration,
  d: DerivedStay,
  command: StayCommand,
  actor: Actor,
  today: IsoDate,
): Refusal | null {
  if (command.type === 'stay-completed')
    return actor.role === 'system' ? null : refusal('not-permitted', 'Only the workflow completes a stay.');
  if (command.type === 'correction') return null; // checked against the whole record by checkCorrection
  if (d.status === 'completed')
    return refusal('stay-closed', 'The stay is completed; nothing more can be recorded on it.');
  const date: DateCheck = (value, notBefore = reg.admittedAt, what = 'this') => {
    if (compareDates(value, reg.admittedAt) < 0) {
      return refusal('date-before-admission', `The date ${value} is before the admission date ${reg.admittedAt}.`);
    }
    if (compareDates(value, notBefore) < 0) {
      return refusal(
        'date-before-prerequisite',
        `The date ${value} is before ${notBefore}, when ${what} became possible.`,
      );
    }
    if (compareDates(value, today) > 0) {
      return refusal(
        'date-in-future',
        `The date ${value} is in the future (today is ${today} in Oslo); record it on or after the day it happened.`,
      );
    }
    return null;
  };
  const t = d.transition;
  switch (command.type) {
    case 'complete-milestone': {
      const m = milestoneOf(d, command.key);
      const rule = milestoneRule(command.key);
      if (d.status === 'ended' && command.key !== 'final-report') {
        return refusal('stay-closed', 'The stay has ended early; only the final report is still due.');
      }
      if (!m.openedOn) return refusal('not-open', notOpen(command.key));
      if (!m.applicable)
        return refusal(
          'not-open',
          `Milestone "${command.key}" does not apply to this stay${m.closedBy ? ` (${m.closedBy})` : ''}.`,
        );
      if (m.doneAt)
        return refusal(
          'already-done',
          `Milestone "${command.key}" was already completed on ${m.doneAt}. A correction is a separate action.`,
        );
      if (rule.recurring && m.occurrences.includes(command.doneAt)) {
        return refusal('already-done', `A ${command.key} on ${command.doneAt} is already recorded.`);
      }
      const dateRefusal = date(command.doneAt, m.openedOn, `"${command.key}"`);
      if (dateRefusal) return dateRefusal;
      for (const prerequisite of rule.requires) {
        const p = milestoneOf(d, prerequisite);
        if (!p.doneAt) {
          return refusal(
            'prerequisite-missing',
            `"${command.key}" requires "${prerequisite}" to be completed first (Fellesskriv ${rule.section}).`,
          );
        }
        if (compareDates(p.doneAt, command.doneAt) > 0) {
          return refusal(
            'date-before-prerequisite',
            `"${command.key}" on ${command.doneAt} would be before "${prerequisite}" (done ${p.doneAt}); it must come after it (Fellesskriv ${rule.section}).`,
          );
        }
      }
      if (command.key === 'exit-meeting' && !t.exitPlan && !command.onboarded) {
        return refusal(
          'prerequisite-missing',
          'Record the exit plan (PUT /api/stays/:id/exit-plan) with the exit meeting (Fellesskriv §3.2).',
        );
      }
      return null;
    }
    case 'mark-insufficient': {
      if (d.status !== 'active') return refusal('stay-closed', `The stay is ${d.status}.`);
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
      return date(command.date, report.doneAt, 'the status report');
    }
    case 'deviation': {
      if (!isMilestoneKey(command.milestone)) return unknownMilestone(command.milestone);
      const m = milestoneOf(d, command.milestone);
      if (!m.openedOn) return refusal('not-open', notOpen(command.milestone));
      if (!m.applicable) return refusal('not-open', `Milestone "${command.milestone}" does not apply to this stay.`);
      if (m.doneAt)
        return refusal(
          'already-done',
          `Milestone "${command.milestone}" is already done (${m.doneAt}); a deviation moves open deadlines only.`,
        );
      if (m.dueDate === command.dueDate)
        return refusal('no-change', `"${command.milestone}" is already due on ${command.dueDate}.`);
      if (compareDates(command.dueDate, m.openedOn) < 0) {
        return refusal(
          'date-before-prerequisite',
          `The agreed date ${command.dueDate} is before ${m.openedOn}, when "${command.milestone}" opened.`,
        );
      }
      if (!command.reason.trim()) return refusal('no-change', 'An agreed deviation needs its reason (Fellesskriv §1).');
      return null;
    }
    case 'extra-status-report': {
      if (d.status !== 'active') return refusal('stay-closed', `The stay is ${d.status}.`);
      const m = milestoneOf(d, 'extra-status-report');
      if ((m.agreedDates ?? []).includes(command.dueDate))
        return refusal('already-done', `An extra status report due ${command.dueDate} is already agreed.`);
      if (compareDates(command.dueDate, today) < 0)
        return refusal(
          'date-before-prerequisite',
          `The agreed due date ${command.dueDate} has already passed (today is ${today}); agree a date from today on.`,
        );
      return null;
    }
    case 'exit-plan':
      if (d.status !== 'active') return refusal('stay-closed', `The stay is ${d.status}.`);
      if (command.plan.participationEndsOn && compareDates(command.plan.participationEndsOn, reg.admittedAt) < 0) {
        return refusal('date-before-admission', 'The agreed end of participation is before the admission date.');
      }
      return null;
    case 'event':
      return checkEvent(reg, d, command.event, date);
  }
}

function checkEvent(reg: Registration, d: DerivedStay, event: StayEvent, date: DateCheck): Refusal | null {
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
      if (t.dischargedOn)
        return refusal(
          'already-done',
          `The resident was discharged on ${t.dischargedOn}; the stay is not ending early.`,
        );
      return date(event.date);
    case 'bydel-changed':
      if (event.bydelId === d.bydelId)
        return refusal('no-change', `The stay already belongs to bydel ${event.bydelId}.`);
      return date(event.date, t.bydelChanges.at(-1)?.date ?? reg.admittedAt, 'the previous change of bydel');
  }
}

/**
 * Why a correction would be refused: it needs a reason, a record to correct, the right author, and the stay it
 * leaves behind must still keep every rule — each later record re-checked as of the day it was accepted.
 */
export function checkCorrection(
  s: StaySnapshot,
  d: DerivedStay,
  command: Correction,
  actor: Actor,
  nowMs: number,
): Refusal | null {
  if (d.status === 'completed') return refusal('stay-closed', 'The stay is completed; it can no longer be corrected.');
  if (!command.reason.trim()) return refusal('no-change', 'A correction needs a reason.');
  const candidate: CommandRecord = {
    seq: s.records.length + 1,
    actor,
    acceptedAt: new Date(nowMs).toISOString(),
    command,
  };
  const target = correctionTarget(effectiveRecords(s.records), command, candidate.seq);
  if (!target) {
    const what =
      'milestone' in command.target
        ? `a completion of "${command.target.milestone}"`
        : `a "${command.target.event}" event`;
    return refusal('nothing-to-correct', `There is no ${what} on this stay to correct.`);
  }
  if (!mayCorrect(actor, target.record.actor)) {
    return refusal('not-permitted', 'Only the organisation that recorded it, or an administrator, can correct it.');
  }
  if (command.action === 'change-date') {
    if (!command.date) return refusal('no-change', 'A date correction needs the corrected date.');
    if (command.date === recordDate(target.record.command))
      return refusal('no-change', `The date is already ${command.date}.`);
  }
  const broken = firstBrokenRule(s, effectiveRecords([...s.records, candidate]));
  if (broken) {
    return refusal('correction-breaks-rules', `After this correction the stay would break a rule: ${broken.message}`);
  }
  return null;
}

/** Re-checks every record against the stay before it, as of the day it was accepted; the first refusal, or null. */
function firstBrokenRule(reg: Registration, records: CommandRecord[]): Refusal | null {
  let d = initialStay(reg);
  for (const record of records) {
    const refused = checkCommand(reg, d, record.command, record.actor, osloDate(Date.parse(record.acceptedAt)));
    if (refused) return refused;
    d = apply(reg, d, record);
  }
  return null;
}

function notOpen(key: MilestoneKey): string {
  const opens = milestoneRule(key).opens;
  const when: Record<string, string> = {
    'on-demand':
      key === 'extra-status-report'
        ? 'when an extra status report is agreed'
        : 'when the bydel marks the status report insufficient',
    'housing-offered': 'when housing is offered',
    'moved-in': 'when the resident has moved in',
    'stay-end': 'when the resident is discharged or the stay ends',
  };
  return `Milestone "${key}" is not open for this stay yet${when[opens] ? ` (it opens ${when[opens]})` : ''}.`;
}
