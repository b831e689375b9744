import { z } from 'zod';
import { isoDate } from './milestone-details';

/** The exit plan / checklist of Fellesskriv §3.2, vedlegg 1: eight parts, each with a responsible party and status. */
export const EXIT_PLAN_SECTION = '§3.2';

export const EXIT_PLAN_PARTS = [
  'contact-persons',
  'tasks-before-moving-in',
  'chores-in-the-home',
  'finances',
  'neighbourhood',
  'activities-and-contact',
  'substance-use-management',
  'transition-agreement',
] as const;

export const EXIT_PLAN_PART_TITLES_NB: Record<(typeof EXIT_PLAN_PARTS)[number], string> = {
  'contact-persons': 'Kontaktpersoner',
  'tasks-before-moving-in': 'Oppgaver før innflytting (møbler, flytting)',
  'chores-in-the-home': 'Oppgaver i hjemmet',
  finances: 'Økonomi',
  neighbourhood: 'Nærmiljø',
  'activities-and-contact': 'Aktiviteter og kontakt med andre',
  'substance-use-management': 'Rusmestring',
  'transition-agreement': 'Overgangsavtale med institusjonen',
};

const part = z
  .object({
    responsible: z.enum(['institution', 'bydel', 'resident', 'other']),
    status: z.enum(['not-started', 'in-progress', 'done', 'continued', 'not-relevant']),
  })
  .strict();

export const ExitPlan = z
  .object({
    parts: z
      .object(
        Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, part])) as Record<
          (typeof EXIT_PLAN_PARTS)[number],
          typeof part
        >,
      )
      .strict(),
    /** "should be considered" (§3.2) */
    contingencyPlanConsidered: z.boolean(),
    /** An agreement to keep the institution place or a day place after move-in: scope, length, who pays. */
    keepPlace: z
      .object({
        kind: z.enum(['institution-place', 'day-place']),
        daysPerWeek: z.number().int().min(1).max(7),
        until: isoDate,
        paidBy: z.enum(['bydel', 'resident']),
      })
      .strict()
      .nullable()
      .optional(),
    /** The end of the institution's participation when the plan agrees another date than move-out + 28 days (§3.3). */
    participationEndsOn: isoDate.nullable().optional(),
  })
  .strict();

export type ExitPlan = z.infer<typeof ExitPlan>;
