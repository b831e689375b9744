import type { ExitPlan } from '../../../rules/exit-plan';
import { compareDates } from '../../../rules/oslo-calendar';
import { refusal } from '../../../rules/refusals';
import type { Actor } from '../types';
import { inactiveStayRefusal, type SentCommandRules } from './command-rules';

/** The Update's input (wire format: stored in workflow histories, so fields are only ever added). */
export type UpdateExitPlanInput = { plan: ExitPlan; actor: Actor };

export type ExitPlanCommand = { type: 'exit-plan'; plan: ExitPlan };

/** The exit plan / checklist (§3.2, vedlegg 1), recorded and edited before and after the exit meeting. */
export const updateExitPlan: SentCommandRules<ExitPlanCommand, UpdateExitPlanInput> = {
  type: 'exit-plan',

  toCommand: (i) => ({ type: 'exit-plan', plan: i.plan }),

  check(c, { reg, d }) {
    const inactive = inactiveStayRefusal(d);
    if (inactive) return inactive;
    if (c.plan.participationEndsOn && compareDates(c.plan.participationEndsOn, reg.admittedAt) < 0) {
      return refusal('date-before-admission', 'The agreed end of participation is before the admission date.');
    }
    return null;
  },

  apply(c, d) {
    d.transition.exitPlan = c.plan;
  },

  describe(c, before) {
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
  },
};
