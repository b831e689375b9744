import { LADDER_SECTION, milestoneRule } from '../../rules/milestones';
import { isMilestoneKey, type MilestoneKey } from '../../rules/types';
import { milestoneOf } from './derived-stay';
import { dependentsMoved, underTheOffer } from './stay-changes';
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

/** The audit entry for an accepted command: action, milestone, and what changed (before → after). */
export function describeCommand(c: StayCommand, before: DerivedStay, after: DerivedStay): AuditWording {
  const section = (key: MilestoneKey) => milestoneRule(key).section;
  switch (c.type) {
    case 'complete-milestone':
      return [
        c.onboarded ? 'milestone.onboarded' : 'milestone.completed',
        c.key,
        { doneAt: c.doneAt, section: section(c.key), ...(c.details ?? {}) },
      ];
    case 'mark-insufficient':
      return ['status-report.marked-insufficient', 'status-report', { date: c.date, section: '§2.2' }];
    case 'deviation': {
      const after_ = milestoneOf(after, c.milestone);
      // a deviation agreed by both waits for the other party (rules version 3); otherwise the date has moved
      const proposed = !!after_.pendingDeviation;
      return [
        proposed ? 'deviation.proposed' : 'deviation.agreed',
        c.milestone,
        {
          from: milestoneOf(before, c.milestone).dueDate,
          to: c.dueDate,
          reason: c.reason,
          agreedBy: c.agreedBy,
          ...(proposed ? { awaiting: 'other-party' } : dependentsMoved(before, after, c.milestone)),
          ...(after_.deviation?.statedOnBehalfOfBoth && !proposed ? { statedOnBehalfOfBoth: true } : {}),
          section: '§1',
        },
      ];
    }
    case 'confirm-deviation': {
      const pending = milestoneOf(before, c.milestone).pendingDeviation;
      return [
        'deviation.confirmed',
        c.milestone,
        {
          from: milestoneOf(before, c.milestone).dueDate,
          to: pending?.dueDate ?? null,
          proposedBy: pending?.proposedBy.party ?? null,
          proposedOn: pending?.proposedOn ?? null,
          ...dependentsMoved(before, after, c.milestone),
          section: '§1',
        },
      ];
    }
    case 'recurring-due-passed':
      return [
        'recurring.due-passed',
        c.milestone,
        {
          dueDate: c.dueDate,
          next: milestoneOf(after, c.milestone).dueDate,
          section: milestoneRule(c.milestone).section,
        },
      ];
    case 'extra-status-report':
      return ['extra-status-report.agreed', 'extra-status-report', { dueDate: c.dueDate, section: '§2.2' }];
    case 'exit-plan': {
      // what changed, part by part (before → after); the whole plan is in the stay itself
      const prev = before.transition.exitPlan;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [part, value] of Object.entries(c.plan.parts)) {
        const old = prev?.parts[part as keyof typeof prev.parts] ?? null;
        if (JSON.stringify(old) !== JSON.stringify(value)) changes[part] = { from: old, to: value };
      }
      for (const key of ['contingencyPlanConsidered', 'keepPlace', 'participationEndsOn'] as const) {
        const from = prev?.[key] ?? null;
        const to = c.plan[key] ?? null;
        if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
      }
      return ['exit-plan.updated', null, { section: '§3.2', created: prev === null, changes }];
    }
    case 'stay-completed':
      return ['stay.completed', null, { date: c.date, section: '§3.3' }];
    case 'correction':
      return [
        `correction.${c.action}`,
        'milestone' in c.target && isMilestoneKey(c.target.milestone) ? c.target.milestone : null,
        {
          target: c.target,
          ...(c.date ? { date: c.date } : {}),
          reason: c.reason,
          convener: { from: before.convener, to: after.convener },
          ...underTheOffer(before, after),
        },
      ];
    case 'event': {
      const e = c.event;
      const details: Record<string, unknown> = { ...e, section: e.type === 'bydel-changed' ? '§2' : '§3' };
      delete details.type;
      if (e.type === 'bydel-changed') details.from = before.bydelId;
      if (before.convener !== after.convener) details.convener = { from: before.convener, to: after.convener };
      Object.assign(details, underTheOffer(before, after));
      return [`event.${e.type}`, null, details];
    }
  }
}
