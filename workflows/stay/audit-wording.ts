import { LADDER_SECTION, milestoneRule } from '../../rules/milestones';
import type { MilestoneKey } from '../../rules/types';
import { rulesOf } from './command-registry';
import type { DerivedStay, EscalationRecord, RegisterStayInput, StayCommand } from './types';

/** What the audit trail says about something: action, milestone, and its details. */
export type AuditWording = [string, MilestoneKey | null, Record<string, unknown> | null];

export function describeRegistration(input: RegisterStayInput, rulesVersion: number): AuditWording {
  return [
    'stay.registered',
    null,
    {
      institutionId: input.institutionId,
      bydelId: input.bydelId,
      admittedAt: input.admittedAt,
      rulesVersion,
      ...(input.previousStayId ? { previousStayId: input.previousStayId } : {}),
    },
  ];
}

export function describeEscalation(e: EscalationRecord): AuditWording {
  return [
    `escalation.${e.kind}`,
    e.milestone,
    {
      dueDate: e.dueDate,
      recipient: e.recipient,
      section: e.kind === 'second-level' ? LADDER_SECTION : milestoneRule(e.milestone).section,
    },
  ];
}

/** The audit entry for an accepted command (action, milestone, what changed), in the words of its own module. */
export function describeCommand(c: StayCommand, before: DerivedStay, after: DerivedStay): AuditWording {
  return rulesOf(c).describe(c, before, after);
}
