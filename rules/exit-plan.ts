import { z } from 'zod';
import { isoDate } from './milestone-details';

/**
 * The exit plan / checklist of Fellesskriv §3.2, vedlegg 1: eight parts, each with a responsible party, a status and
 * named tasks; the contingency plan as a short part of its own. Fields are only ever added, and only as optional ones:
 * plans in running stays' histories must still parse.
 */
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

/**
 * Short free text (a task, a name) is all the plan holds: the limits keep it to a line, and the web app asks for no
 * health details. It travels encrypted in the workflow history and is cleared from the read model by the retention
 * anonymisation like the rest of the stay.
 */
export const EXIT_PLAN_TEXT_LIMITS = { taskTitle: 120, ownerName: 80, tasksPerPart: 10, contacts: 20 } as const;

export const EXIT_PLAN_OWNERS = ['institution', 'bydel', 'resident', 'other'] as const;

/** A named task of a part (vedlegg 1: "oppgave – ansvarlig – tidsfrist"), with its owner and date. */
export const ExitPlanTask = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'name the task')
      .max(EXIT_PLAN_TEXT_LIMITS.taskTitle, `at most ${EXIT_PLAN_TEXT_LIMITS.taskTitle} characters; no health details`),
    owner: z.enum(EXIT_PLAN_OWNERS).meta({ description: 'the party that does it' }),
    ownerContactId: z
      .uuid({ error: 'a contact id from GET /api/stays/:id/contacts' })
      .optional()
      .meta({ description: "the person who does it, from the stay's contacts" }),
    ownerName: z
      .string()
      .trim()
      .min(1)
      .max(EXIT_PLAN_TEXT_LIMITS.ownerName, `at most ${EXIT_PLAN_TEXT_LIMITS.ownerName} characters`)
      .optional()
      .meta({ description: 'who does it, when not among the contacts (a name or a role, e.g. "NAV-veileder")' }),
    dueOn: isoDate.optional().meta({ description: 'by when' }),
    done: z.boolean().optional(),
  })
  .strict();
export type ExitPlanTask = z.infer<typeof ExitPlanTask>;

const Tasks = z
  .array(ExitPlanTask)
  .max(EXIT_PLAN_TEXT_LIMITS.tasksPerPart, `at most ${EXIT_PLAN_TEXT_LIMITS.tasksPerPart} tasks per part`)
  .superRefine((tasks, ctx) => {
    const seen = new Set<string>();
    tasks.forEach((t, i) => {
      const key = t.title.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: 'the same task is listed twice' });
      seen.add(key);
    });
  });

const ContactIds = z
  .array(z.uuid({ error: 'a contact id from GET /api/stays/:id/contacts' }))
  .max(EXIT_PLAN_TEXT_LIMITS.contacts)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'a contact is listed once' });

const part = z
  .object({
    responsible: z.enum(['institution', 'bydel', 'resident', 'other']),
    status: z.enum(['not-started', 'in-progress', 'done', 'continued', 'not-relevant']),
    tasks: Tasks.optional(),
  })
  .strict();

/** "navn og kontaktinformasjon på kontaktpersoner" (§3.2): the people, taken from the stay's contacts. */
const contactPersonsPart = part
  .extend({
    contactIds: ContactIds.optional().meta({
      description: "the stay's contacts the resident takes home (names and contact details come from the contacts)",
    }),
  })
  .strict();

/**
 * The contingency plan (kriseplan, §3.2: "bør også vurderes"): a short part of its own. It is kept under `parts` so
 * that the stay's audit trail compares it part by part like the others.
 */
export const ContingencyPlan = z
  .object({
    status: z.enum(['not-needed', 'to-be-made', 'made']).meta({
      description: 'not needed | to be made | made (where it is kept is said by a task)',
    }),
    steps: Tasks.optional().meta({ description: 'what is done, by whom, when the measures are not enough' }),
    contactIds: ContactIds.optional().meta({ description: "whom the resident calls (from the stay's contacts)" }),
    reviewOn: isoDate.optional().meta({ description: 'when it is looked at again' }),
  })
  .strict();
export type ContingencyPlan = z.infer<typeof ContingencyPlan>;

export const CONTINGENCY_PLAN_PART = 'contingency-plan';

const partsShape = {
  ...(Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, part])) as Record<
    Exclude<(typeof EXIT_PLAN_PARTS)[number], 'contact-persons'>,
    typeof part
  >),
  'contact-persons': contactPersonsPart,
  [CONTINGENCY_PLAN_PART]: ContingencyPlan.optional(),
};

export const ExitPlan = z
  .object({
    parts: z.object(partsShape).strict(),
    /** "should be considered" (§3.2) */
    contingencyPlanConsidered: z.boolean(),
    /** An agreement to keep the institution place or a day place after move-in: scope, length, who pays. */
    keepPlace: z
      .object({
        kind: z.enum(['institution-place', 'day-place']),
        daysPerWeek: z.number().int().min(1).max(7),
        until: isoDate,
        /** §3: "bydelsbetaling eller egenbetaling" must be clarified; or it is agreed that nobody pays. */
        paidBy: z.enum(['bydel', 'resident', 'none']),
      })
      .strict()
      .nullable()
      .optional(),
    /** The end of the institution's participation when the plan agrees another date than move-out + 28 days (§3.3). */
    participationEndsOn: isoDate.nullable().optional(),
  })
  .strict();

/** Every contact id the plan names (contact persons, task owners, the contingency plan's contacts), with its path. */
export function contactIdsOf(plan: ExitPlan): { path: string; id: string }[] {
  const found: { path: string; id: string }[] = [];
  for (const [key, value] of Object.entries(plan.parts)) {
    if (!value) continue;
    const v = value as { contactIds?: string[]; tasks?: ExitPlanTask[]; steps?: ExitPlanTask[] };
    v.contactIds?.forEach((id, i) => {
      found.push({ path: `parts.${key}.contactIds.${i}`, id });
    });
    for (const list of ['tasks', 'steps'] as const)
      v[list]?.forEach((t, i) => {
        if (t.ownerContactId) found.push({ path: `parts.${key}.${list}.${i}.ownerContactId`, id: t.ownerContactId });
      });
  }
  return found;
}

export type ExitPlan = z.infer<typeof ExitPlan>;
