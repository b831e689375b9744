import { compareDates, osloDate } from '../../rules/oslo-calendar';
import { type Refusal, refusal } from '../../rules/refusals';
import type { IsoDate } from '../../rules/types';
import { rulesOf } from './command-registry';
import type { CheckContext, DateCheck } from './commands/command-rules';
import { milestoneOf } from './derived-stay';
import { apply, initialStay } from './fold';
import { checkedByFidelityRules, hasFidelityRules } from './rule-set';
import type { Actor, CommandRecord, DerivedStay, Registration, StayCommand, StaySnapshot } from './types';

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
 * Why `command` by `actor` would be refused on the stay as it stands at `nowMs`, or null — by the rules of its own
 * module (commands/). The closed-stay refusal comes before it: closedStayRefusal.
 */
export function checkCommand(
  s: StaySnapshot,
  d: DerivedStay,
  command: StayCommand,
  actor: Actor,
  nowMs: number,
): Refusal | null {
  return rulesOf(command).check(command, commandContext(s, d, actor, nowMs));
}

/**
 * Why a command sent now would be refused: checkCommand, then its module's rule for new commands (`refuseNew`). The
 * Update's validator asks this; the handler's accept asks checkCommand alone, as a replay does.
 */
export function checkNewCommand(
  s: StaySnapshot,
  d: DerivedStay,
  command: StayCommand,
  actor: Actor,
  nowMs: number,
): Refusal | null {
  const rules = rulesOf(command);
  const ctx = commandContext(s, d, actor, nowMs);
  return rules.check(command, ctx) ?? rules.refuseNew?.(command, ctx) ?? null;
}

/** A command sent now is checked against the stay as it stands, with its whole record for a correction's re-check. */
function commandContext(s: StaySnapshot, d: DerivedStay, actor: Actor, nowMs: number): CheckContext {
  return {
    ...context(s, d, actor, nowMs, hasFidelityRules(s)),
    history: { records: s.records, firstBrokenRule: (records) => firstBrokenRule(s, records) },
  };
}

/**
 * Re-checks every record against the stay before it, as of the day it was accepted and by the rules it was accepted
 * under; the first refusal, or null.
 */
function firstBrokenRule(reg: Registration, records: CommandRecord[]): Refusal | null {
  let d = initialStay(reg);
  for (const record of records) {
    const ctx = context(
      reg,
      d,
      record.actor,
      Date.parse(record.acceptedAt),
      checkedByFidelityRules(reg, record.acceptedAt),
    );
    const refused = rulesOf(record.command).check(record.command, ctx);
    if (refused) return refused;
    d = apply(reg, d, record);
  }
  return null;
}

function context(reg: Registration, d: DerivedStay, actor: Actor, nowMs: number, newRules: boolean): CheckContext {
  const today = osloDate(nowMs);
  return { reg, d, actor, nowMs, today, newRules, date: dateCheck(reg, today) };
}

function dateCheck(reg: Registration, today: IsoDate): DateCheck {
  return (value, notBefore = reg.admittedAt, what = 'this') => {
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
}
