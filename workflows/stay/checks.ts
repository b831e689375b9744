import { latestDoneBefore } from '../../rules/anchored-deadlines';
import { SUPERSEDED_BY_OFFER } from '../../rules/housing-offer';
import { withDefaults } from '../../rules/interpretations';
import { MILESTONE_RULES, milestoneRule } from '../../rules/milestones';
import { addOffset, compareDates, daysBetween, osloDate } from '../../rules/oslo-calendar';
import { mayCorrect } from '../../rules/permissions';
import { type Refusal, refusal, unknownMilestone } from '../../rules/refusals';
import { isMilestoneKey, type IsoDate, type MilestoneKey } from '../../rules/types';
import { type Correction, correctionTarget, effectiveRecords, recordDate } from './corrections';
import { milestoneOf, partyOf } from './derived-stay';
import { apply, initialStay } from './fold';
import { checkedByFidelityRules, hasFidelityRules } from './rule-set';
import type { Actor, CommandRecord, DerivedStay, Registration, StayCommand, StayEvent, StaySnapshot } from './types';

type DateCheck = (value: IsoDate, notBefore?: IsoDate, what?: string) => Refusal | null;

/** The workflow's work on the stay is over: completed, or ended early with its final report done (or not due). */
export function isClosed(d: DerivedStay): boolean {
  if (d.status === 'completed') return true;
  if (d.status !== 'ended') return false;
  const report = milestoneOf(d, 'final-report');
  return !!report.doneAt || !report.applicable;
}

/**
 * A closed stay refuses every command at once (rules version 3: for every stay, whatever rules it runs by, since the
 * workflow of a closed stay only waits out its retention period and would never deliver the change). An administrator
 * may reopen a stay that ended early by a correction (withdrawing or re-dating the final report or the early end),
 * once the stay runs by version 3's rules, whose retention wait a reopening leaves.
 */
export function closedStayRefusal(
  reg: Registration & Pick<StaySnapshot, 'retentionDays'>,
  d: DerivedStay,
  command: StayCommand,
  actor: Actor,
): Refusal | null {
  if (!isClosed(d) || command.type === 'stay-completed') return null;
  const reopenable = hasFidelityRules(reg) && d.status === 'ended';
  if (reopenable && command.type === 'correction' && actor.role === 'admin') return null;
  const t = d.transition;
  const report = milestoneOf(d, 'final-report');
  const why =
    d.status === 'completed'
      ? `it was completed on ${t.completedOn} (the institution's part ended, §3.3)`
      : `it ended early on ${t.endedEarly?.date} (${t.endedEarly?.reason})${report.doneAt ? ` and its final report was recorded on ${report.doneAt}` : ''}`;
  const retention = reg.retentionDays ? ` Its personal data is removed ${reg.retentionDays} days after it closed.` : '';
  return refusal(
    'stay-closed',
    `This stay is closed: ${why}. Nothing more can be recorded on it.${
      reopenable ? ' An administrator can reopen it with a correction of the final report or the early end.' : ''
    }${retention}`,
  );
}

/**
 * Why `command` by `actor` would be refused on the stay `d` as of `today`, or null. Corrections: see checkCorrection.
 * `newRules`: the command is checked by rules version 3 (see rule-set.ts).
 */
export function checkCommand(
  reg: Registration,
  d: DerivedStay,
  command: StayCommand,
  actor: Actor,
  today: IsoDate,
  newRules = hasFidelityRules(reg),
): Refusal | null {
  if (command.type === 'stay-completed')
    return actor.role === 'system' ? null : refusal('not-permitted', 'Only the workflow completes a stay.');
  if (command.type === 'recurring-due-passed')
    return actor.role === 'system' ? null : refusal('not-permitted', 'Only the workflow notes a passed due date.');
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
      if (newRules && rule.settledBy)
        return refusal(
          'settled-by-event',
          `"${command.key}" is not completed on its own: record the ${rule.settledBy.map((e) => `"${e}"`).join(' or ')} event (POST /api/stays/:id/events/:type).`,
        );
      if (!m.openedOn) return refusal('not-open', notOpen(command.key));
      // a milestone the housing offer superseded can still be recorded, if it was done after all
      if (!m.applicable && !(newRules && m.closedBy === SUPERSEDED_BY_OFFER))
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
        // superseded by the housing offer: no longer a prerequisite of anything
        if (newRules && !p.doneAt && p.closedBy === SUPERSEDED_BY_OFFER) continue;
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
      if (newRules && !command.onboarded) {
        const late = notInGoodTime(reg, d, command.key, command.doneAt, command.details);
        if (late) return late;
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
      if (newRules) return checkDeviation(reg, d, command, actor);
      return null;
    }
    case 'confirm-deviation': {
      const m = milestoneOf(d, command.milestone);
      const p = m.pendingDeviation;
      if (!p)
        return refusal(
          'nothing-to-confirm',
          `No deviation of "${command.milestone}" awaits confirmation on this stay (Fellesskriv §1).`,
        );
      const party = partyOf(actor);
      if (!party)
        return refusal(
          'not-permitted',
          'The other party confirms a deviation; an administrator records one agreed by both with onBehalfOfBoth instead.',
        );
      if (party === p.proposedBy.party)
        return refusal(
          'not-permitted',
          `The ${p.proposedBy.party} proposed this deviation; a user of the ${party === 'institution' ? 'bydel' : 'institution'} confirms it.`,
        );
      if (m.doneAt)
        return refusal('already-done', `"${command.milestone}" is already done (${m.doneAt}); nothing to move.`);
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
      return checkEvent(reg, d, command.event, date, newRules);
  }
}

function checkEvent(
  reg: Registration,
  d: DerivedStay,
  event: StayEvent,
  date: DateCheck,
  newRules: boolean,
): Refusal | null {
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

/**
 * Re-checks every record against the stay before it, as of the day it was accepted and by the rules it was accepted
 * under; the first refusal, or null.
 */
function firstBrokenRule(reg: Registration, records: CommandRecord[]): Refusal | null {
  let d = initialStay(reg);
  for (const record of records) {
    const refused = checkCommand(
      reg,
      d,
      record.command,
      record.actor,
      osloDate(Date.parse(record.acceptedAt)),
      checkedByFidelityRules(reg, record.acceptedAt),
    );
    if (refused) return refused;
    d = apply(reg, d, record);
  }
  return null;
}

/**
 * A milestone whose completion checks that what it requires came in good time before it (rule `anchor` of the
 * required one, e.g. the status report "i god tid før" the housing meeting, §2.2), unless the completion records that
 * the parties agreed to go ahead anyway (the anchor's `waiver`, §1).
 */
function notInGoodTime(
  reg: Registration,
  d: DerivedStay,
  key: MilestoneKey,
  doneAt: IsoDate,
  details: Record<string, unknown> | null,
): Refusal | null {
  const i = withDefaults(reg.interpretations);
  for (const dependent of MILESTONE_RULES) {
    const anchor = dependent.anchor;
    if (anchor?.milestone !== key || !milestoneRule(key).requires.includes(dependent.key)) continue;
    const p = milestoneOf(d, dependent.key);
    if (!p.doneAt) continue;
    const latest = latestDoneBefore(doneAt, anchor, i);
    if (compareDates(p.doneAt, latest) <= 0) continue;
    if (anchor.waiver && details?.[anchor.waiver] === true) continue;
    const gap = -daysBetween(doneAt, latest);
    return refusal(
      'not-in-good-time',
      `"${dependent.key}" was done on ${p.doneAt}, less than ${gap} days before "${key}" on ${doneAt}; Fellesskriv ${dependent.section} asks for it in good time before (the product reads that as ${gap} days). Record "${key}" on ${addOffset(p.doneAt, { days: gap })} or later${anchor.waiver ? `, or — if both parties agreed to hold it anyway (§1) — with "${anchor.waiver}": true` : ''}.`,
    );
  }
  return null;
}

/**
 * Rules version 3 on agreed deviations (§1): one party records its own agreement (or one agreed by both, which the
 * other party confirms unless stated on behalf of both), and a deviation never moves a date back past a completion
 * it depends on.
 */
function checkDeviation(
  reg: Registration,
  d: DerivedStay,
  command: Extract<StayCommand, { type: 'deviation' }>,
  actor: Actor,
): Refusal | null {
  const party = partyOf(actor);
  if (party && command.agreedBy !== 'both' && command.agreedBy !== party) {
    return refusal(
      'not-permitted',
      `A deviation agreed by the ${command.agreedBy} is recorded by the ${command.agreedBy}. Record your own party's agreement, or agreedBy "both" (the ${command.agreedBy} then confirms it).`,
    );
  }
  const i = withDefaults(reg.interpretations);
  const rule = milestoneRule(command.milestone);
  for (const prerequisite of rule.requires) {
    const p = milestoneOf(d, prerequisite);
    if (!p.doneAt) continue;
    const anchor = milestoneRule(prerequisite).anchor;
    // the earliest date this milestone can be done on, given what it requires was done when it was
    const gap =
      anchor?.milestone === command.milestone ? -daysBetween(p.doneAt, latestDoneBefore(p.doneAt, anchor, i)) : 0;
    const earliest = addOffset(p.doneAt, { days: gap });
    if (compareDates(command.dueDate, earliest) < 0) {
      return refusal(
        'date-before-prerequisite',
        `The agreed date ${command.dueDate} is before ${earliest}: "${command.milestone}" requires "${prerequisite}", done on ${p.doneAt}${gap ? ` (and ${gap} days after it)` : ''}. A deviation never moves a date back past a completion.`,
      );
    }
  }
  const m = milestoneOf(d, command.milestone);
  const last = m.occurrences.at(-1);
  if (rule.recurring && last && compareDates(command.dueDate, last) < 0) {
    return refusal(
      'date-before-prerequisite',
      `The agreed date ${command.dueDate} is before the latest "${command.milestone}" on ${last}. A deviation never moves a date back past a completion.`,
    );
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
    discharged: 'when the resident is discharged',
  };
  return `Milestone "${key}" is not open for this stay yet${when[opens] ? ` (it opens ${when[opens]})` : ''}.`;
}
