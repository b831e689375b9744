import { z } from 'zod';
import { APPLICATION_TYPES, isoDate } from '../rules/milestone-details';

/**
 * Applications and referrals over time (§2.2): the ones recorded with the `applications` milestone, and the ones
 * added later, each followed to its outcome. The wire format of /api/stays/:id/applications; the repository
 * (api/plugins/app/applications.ts) and the web app take their types from here.
 */
export const APPLICATION_RESPONSIBLE = ['institution', 'bydel', 'resident'] as const;
export const APPLICATION_OUTCOMES = ['pending', 'granted', 'refused'] as const;

export const ApplicationType = z.enum(APPLICATION_TYPES).meta({
  description:
    'municipal-housing (kommunal bolig) | startlan | booppfolging | voluntary-financial-management (frivillig forvaltning) | outpatient-substance-treatment (ruspoliklinikk) | fact | further-institution-place | other',
});

/** A name for an `other` application ("bostøtte"): short, and never a health detail. */
const OtherType = z
  .string()
  .trim()
  .min(1, 'say what kind of application it is')
  .max(60, 'at most 60 characters: name the kind of application, no health details')
  .meta({ description: 'what kind of application, for type `other` (at most 60 characters; no health details)' });

const Outcome = z.enum(APPLICATION_OUTCOMES).meta({ description: 'pending | granted | refused' });

/** Outcome and its date go together: a decision has a date, a pending one has none. */
function outcomeRefinement(b: { outcome?: string; outcomeOn?: string | null }, ctx: z.RefinementCtx) {
  if ((b.outcome === 'granted' || b.outcome === 'refused') && !b.outcomeOn)
    ctx.addIssue({ code: 'custom', path: ['outcomeOn'], message: 'a decision has a date: give outcomeOn' });
  if (b.outcome === 'pending' && b.outcomeOn)
    ctx.addIssue({ code: 'custom', path: ['outcomeOn'], message: 'a pending application has no outcome date' });
}

export const AddApplicationBody = z
  .object({
    type: ApplicationType,
    otherType: OtherType.optional(),
    responsible: z.enum(APPLICATION_RESPONSIBLE).meta({ description: 'who prepares and sends it (§2.2)' }),
    sentOn: isoDate.meta({ description: 'the day it was sent' }),
    outcome: Outcome.optional().meta({ description: 'default pending' }),
    outcomeOn: isoDate.optional(),
    reportAttached: z
      .boolean()
      .optional()
      .meta({ description: 'the institution\'s own report accompanies it (§2.2 "egen rapport"); default false' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.type === 'other' && !b.otherType)
      ctx.addIssue({ code: 'custom', path: ['otherType'], message: 'say what kind of application it is' });
    if (b.type !== 'other' && b.otherType)
      ctx.addIssue({ code: 'custom', path: ['otherType'], message: 'only an application of type other is named' });
    outcomeRefinement(b, ctx);
  });
export type AddApplicationBody = z.infer<typeof AddApplicationBody>;

export const UpdateApplicationBody = z
  .object({
    responsible: z.enum(APPLICATION_RESPONSIBLE).optional(),
    sentOn: isoDate.optional(),
    outcome: Outcome.optional(),
    outcomeOn: isoDate.nullable().optional(),
    reportAttached: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: 'say what to change: responsible, sentOn, outcome (with outcomeOn) or reportAttached',
  })
  .superRefine(outcomeRefinement);
export type UpdateApplicationBody = z.infer<typeof UpdateApplicationBody>;

export const Application = z.object({
  id: z.string(),
  origin: z.enum(['milestone', 'added']).meta({
    description: 'recorded with the applications milestone (§2.2), or added afterwards',
  }),
  type: ApplicationType,
  otherType: z.string().nullable(),
  responsible: z.enum(APPLICATION_RESPONSIBLE),
  sentOn: z.string(),
  outcome: Outcome,
  outcomeOn: z.string().nullable(),
  reportAttached: z.boolean(),
  updatedAt: z.string().nullable().meta({ description: 'null while nothing was recorded beyond the milestone' }),
});
export type Application = z.infer<typeof Application>;

export const ApplicationList = z.object({
  applications: z.array(Application).meta({ description: 'by sent date, oldest first' }),
});

export const ApplicationParams = z.object({
  id: z.uuid({ error: 'a stay id is a UUID' }),
  applicationId: z.uuid({ error: 'an application id is a UUID' }),
});
