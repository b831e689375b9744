import { z } from 'zod';
import { isIsoDate } from './oslo-calendar';
import type { MilestoneKey } from './types';

/**
 * What a completion records, per milestone (the "what must be done" column of the rule book). Structured
 * answers only — no free text — because this is health data and it is stored in the workflow history.
 */
export const isoDate = z
  .string()
  // a format check (the document says `format: date`): a malformed date is a bad request, not a refused rule
  .refine(isIsoDate, { message: 'must be a calendar date YYYY-MM-DD', params: { format: true } })
  .meta({ format: 'date', example: '2026-03-01', description: 'calendar date in Europe/Oslo, YYYY-MM-DD' });

/** §2.2 application types ("e.g. kommunal bolig, startlån, booppfølging, frivillig forvaltning, ruspoliklinikk, FACT, further institution place"). */
export const APPLICATION_TYPES = [
  'municipal-housing',
  'startlan',
  'booppfolging',
  'voluntary-financial-management',
  'outpatient-substance-treatment',
  'fact',
  'further-institution-place',
  'other',
] as const;

const applicationResponsible = z.enum(['institution', 'bydel', 'resident']);
const followUpNeed = z.enum(['booppfolging', 'other-help', 'none', 'unclear']);
const mustBeMapped = (what: string) =>
  z.literal(true, { error: `${what} must be mapped before the housing mapping can be completed` });

const DETAILS = {
  'plan-started': z.object({
    residentInvolved: z.boolean().optional(),
    bydelInvolved: z.boolean().optional(),
  }),
  // §2.2 (a)–(e)
  'housing-mapping': z.object({
    needsHelpObtainingHousing: z.boolean().meta({ description: '(a) will the resident need help obtaining housing' }),
    followUpNeed: followUpNeed.meta({ description: '(b) likely need of booppfølging or other help to manage a home' }),
    financesMapped: mustBeMapped('(c) Finances (payment history, income, debt)'),
    otherFactorsMapped: mustBeMapped('(d) Other factors (health, family and network, interests, employment)'),
    individualPlan: z
      .enum(['exists', 'offered'])
      .meta({ description: '(e) the resident has an IP, or one was offered' }),
  }),
  'first-meeting': z.object({
    bydelAttended: z.boolean().meta({ description: 'the bydel attended, as it must (§2.1)' }),
    housingOnAgenda: z
      .literal(true, { error: 'housing is a standing topic of every cooperation meeting (§2)' })
      .optional(),
    draftPlanDiscussed: z.boolean().optional(),
  }),
  'status-report': z.object({
    recommendedHousing: z.enum(['ordinary', 'municipal', 'supported', 'care', 'other']),
    followUpNeed,
    residentWishesRecorded: z.literal(true, { error: "the resident's own wishes must be explicit in the report" }),
    professionalAssessmentRecorded: z.literal(true, {
      error: "the institution's professional assessment must be explicit in the report",
    }),
  }),
  'status-report-causes': z.object({}),
  'housing-meeting': z.object({
    bydelAttended: z.boolean().optional(),
    applicationsAgreed: z
      .array(z.object({ type: z.enum(APPLICATION_TYPES), responsible: applicationResponsible }))
      .meta({ description: 'who prepares and sends which applications' }),
    statusReportLateAgreed: z.literal(true).optional().meta({
      description:
        'the status report came later than "in good time before" the housing meeting (§2.2), and both parties agreed to hold the meeting anyway (§1)',
    }),
  }),
  applications: z.object({
    applications: z
      .array(z.object({ type: z.enum(APPLICATION_TYPES), responsible: applicationResponsible, sentAt: isoDate }))
      .min(1, 'list each application or referral sent, with its type, responsible party and sent date'),
  }),
  'cooperation-meeting': z.object({ bydelAttended: z.boolean().optional() }),
  'exit-meeting': z.object({
    institutionAttended: z.boolean().meta({ description: 'the institution attended, as it must (§3.1)' }),
  }),
  'housing-follow-up-contact': z.object({
    atExitMeeting: z.boolean().optional(),
    receivingBydelInvolved: z
      .boolean()
      .optional()
      .meta({ description: 'when moving to another bydel: that bydel was involved early (§3)' }),
  }),
  'cooperation-agreement': z.object({}),
  'follow-up-meeting': z.object({
    institutionAttended: z.boolean(),
    exitPlanReviewed: z.literal(true, { error: 'the follow-up meeting reviews the exit plan (§3.3)' }),
  }),
  'extra-status-report': z.object({
    recommendedHousing: z.enum(['ordinary', 'municipal', 'supported', 'care', 'other']).optional(),
    followUpNeed: followUpNeed.optional(),
  }),
  // settled by the moved-in or ended-early event, never completed on its own
  'move-in-recorded': z.object({}),
  'final-report': z.object({
    sentToBydel: z.literal(true, { error: 'the final report is sent to the bydel (§3.3)' }),
  }),
} satisfies Record<MilestoneKey, z.ZodObject>;

const completionBody = (key: MilestoneKey) => DETAILS[key].extend({ doneAt: isoDate }).strict();
/** Built once per milestone: building a zod schema costs more than parsing a body with it (every completion does). */
const completionBodies = new Map<MilestoneKey, ReturnType<typeof completionBody>>();

/** The completion body of a milestone: `doneAt` plus that milestone's record. Unknown fields are refused. */
export function completionBodySchema(key: MilestoneKey) {
  let schema = completionBodies.get(key);
  if (!schema) {
    schema = completionBody(key);
    completionBodies.set(key, schema);
  }
  return schema;
}

/** Every completion body, for the OpenAPI page. */
export const completionBodyExamples = DETAILS;
