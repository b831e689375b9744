import { ladderOf, type MilestoneRule, milestoneRule } from '../../rules/milestones';
import { addOffset, isPastDue, osloMidnight, overdueFrom } from '../../rules/oslo-calendar';
import type { IsoDate } from '../../rules/types';
import { responsibleFor } from './derived-stay';
import type { DerivedStay, EscalationRecord, MilestoneState } from './types';

/** One rung of the escalation ladder for one open milestone and its due date. */
export type LadderStep = { milestone: MilestoneState; kind: EscalationRecord['kind']; dueDate: IsoDate };

/**
 * The ladder's steps for every open milestone with a due date: a reminder before the due date, `overdue` from
 * 00:00 Oslo the day after, a second level to both parties later (rules `ladderOf`). Without `ladder` (stays
 * replaying the first two releases) only the missed deadline itself.
 */
export function ladderSteps(d: DerivedStay, ladder: boolean): LadderStep[] {
  const steps: LadderStep[] = [];
  for (const m of openMilestones(d)) {
    // silenced (rules version 3): overdue before a housing offer, or kept without a deadline after it
    if (!m.dueDate || m.silencedBy) continue;
    const rule = milestoneRule(m.key);
    if (!ladder) {
      steps.push({ milestone: m, kind: rule.onMissed, dueDate: m.dueDate });
      continue;
    }
    const l = ladderOf(rule);
    if (l.reminderDaysBefore !== null) steps.push({ milestone: m, kind: 'reminder', dueDate: m.dueDate });
    if (rule.onMissed === 'overdue') steps.push({ milestone: m, kind: 'overdue', dueDate: m.dueDate });
    if (l.secondLevelDaysAfter !== null) steps.push({ milestone: m, kind: 'second-level', dueDate: m.dueDate });
  }
  return steps;
}

/** A step with the instant it is due. */
export type ScheduledStep = LadderStep & { at: number };

/**
 * The ladder's steps with their instants. They change only when the stay does, while the workflow asks for them
 * several times per workflow task (raising escalations, its next timer): the caller keeps this per derived stay.
 */
export function ladderSchedule(
  d: DerivedStay,
  ladder: boolean,
  instantOf: (step: LadderStep, ladder: boolean) => number = stepInstant,
): ScheduledStep[] {
  return ladderSteps(d, ladder).map((step) => ({ ...step, at: instantOf(step, ladder) }));
}

/** When a step is due (epoch ms): depends only on its milestone, kind and due date (and the ladder flag). */
export const stepInstant = ({ milestone, kind, dueDate }: LadderStep, ladder: boolean): number =>
  kindAt(kind, dueDate, milestoneRule(milestone.key), ladder);

/** Whether a step is to be raised at `nowMs` (once: the caller keeps `ladderTag`s of what it raised). */
export function isStepDue({ milestone: m, dueDate, kind, at }: ScheduledStep, nowMs: number, ladder: boolean): boolean {
  if (nowMs < at) return false;
  // an overdue escalation supersedes the reminder: never remind of what is already overdue
  if (kind === 'reminder' && ladder && milestoneRule(m.key).onMissed === 'overdue' && isPastDue(dueDate, nowMs))
    return false;
  return true;
}

/** A step is raised once per milestone, kind and due date. */
export const ladderTag = ({ milestone, kind, dueDate }: LadderStep): string => `${milestone.key}|${kind}|${dueDate}`;

export function escalationFor(step: LadderStep, d: DerivedStay, id: string, nowMs: number): EscalationRecord {
  return {
    id,
    milestone: step.milestone.key,
    kind: step.kind,
    dueDate: step.dueDate,
    recipient: step.kind === 'second-level' ? 'both' : responsibleFor(milestoneRule(step.milestone.key), d),
    createdAt: new Date(nowMs).toISOString(),
  };
}

/**
 * The next instant something is due (a step of the stay's `ladderSchedule`, participation ending; with `recurring`, a
 * recurring due date passing, when the next interval starts), or null.
 */
export function nextDeadlineAt(
  d: DerivedStay,
  schedule: ScheduledStep[],
  nowMs: number,
  recurring = false,
): number | null {
  const instants: number[] = schedule.map((step) => step.at);
  if (recurring) for (const m of passingRecurring(d)) instants.push(overdueFrom(m.dueDate!));
  const t = d.transition;
  if (d.status === 'active' && t.participationEndsOn) instants.push(overdueFrom(t.participationEndsOn));
  let next: number | null = null;
  for (const at of instants) if (at > nowMs && (next === null || at < next)) next = at;
  return next;
}

/** Open recurring milestones with a due date: when it passes without an occurrence, the next interval starts. */
export function passingRecurring(d: DerivedStay): MilestoneState[] {
  return openMilestones(d).filter((m) => m.dueDate && milestoneRule(m.key).recurring);
}

function openMilestones(d: DerivedStay): MilestoneState[] {
  if (d.status === 'completed') return [];
  return d.milestones.filter((m) => m.openedOn && m.applicable && !m.doneAt);
}

/** When a ladder step is due: reminders at 00:00 Oslo N days before, overdue at 00:00 the day after, second level N days later. */
function kindAt(kind: EscalationRecord['kind'], dueDate: IsoDate, rule: MilestoneRule, ladder: boolean): number {
  const l = ladderOf(rule);
  if (kind === 'reminder' && ladder) return osloMidnight(addOffset(dueDate, { days: -(l.reminderDaysBefore ?? 0) }));
  if (kind === 'second-level') return overdueFrom(addOffset(dueDate, { days: l.secondLevelDaysAfter ?? 0 }));
  return overdueFrom(dueDate);
}
