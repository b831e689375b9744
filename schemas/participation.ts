import { z } from 'zod';
import { RELATIVES_INVOLVEMENT } from '../rules/consent';
import { isoDate } from '../rules/milestone-details';
import { MeetingMilestone } from './meetings';
import { pagingQuery, stateListQuery } from './paging';

/**
 * The resident's say in the stay: consent to sharing between institution and bydel, whether relatives are involved,
 * and the resident's presence at meetings. The wire format of /api/stays/:id/consent, /relatives, /participation and
 * /api/consent-reminders; the repository (api/plugins/app/participation.ts) and the web app take their types from here.
 * Structured answers only: no free text, so no health details can end up here.
 */
export const ConsentBody = z
  .object({
    given: z.boolean().meta({ description: 'the resident consents (true) or refuses (false)' }),
    date: isoDate.meta({ description: 'when the resident answered' }),
    validUntil: isoDate
      .nullable()
      .optional()
      .meta({ description: 'the last day the consent is valid ("med dato til"); required when given' }),
    withdrawnOn: isoDate
      .nullable()
      .optional()
      .meta({ description: 'the day the resident withdrew the consent; only for a given consent' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.given && !c.validUntil)
      ctx.addIssue({
        code: 'custom',
        path: ['validUntil'],
        message: 'a consent is given until a date (vedlegg 2: "ja, med dato til")',
      });
    if (!c.given && c.validUntil)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'a refused consent has no end date' });
    if (!c.given && c.withdrawnOn)
      ctx.addIssue({
        code: 'custom',
        path: ['withdrawnOn'],
        message: 'only a given consent can be withdrawn; record the refusal with given: false',
      });
  });
export type ConsentBody = z.infer<typeof ConsentBody>;

export const ConsentState = z.enum(['valid', 'expiring', 'expired', 'withdrawn', 'refused']).meta({
  description: 'today (Oslo): valid; expiring (within the reminder window); expired; withdrawn; refused',
});

export const Consent = z.object({
  id: z.string().meta({ description: 'a new id each time a new answer is recorded (another date or yes/no)' }),
  given: z.boolean(),
  date: z.string(),
  validUntil: z.string().nullable(),
  withdrawnOn: z.string().nullable(),
  state: ConsentState,
  daysLeft: z.number().nullable().meta({ description: 'days to the last valid day; negative once expired' }),
  reminderOn: z.string().nullable().meta({ description: 'the day the institution is reminded to renew it' }),
  updatedAt: z.string(),
});
export type Consent = z.infer<typeof Consent>;

export const ConsentResponse = z.object({ consent: Consent.nullable() });

export const RelativesBody = z
  .object({
    involvement: z.enum(RELATIVES_INVOLVEMENT).meta({
      description: 'involved | not-relevant | not-wanted-by-resident (§2: "dersom det er aktuelt")',
    }),
    date: isoDate.meta({ description: 'when this was last agreed with the resident' }),
  })
  .strict();
export type RelativesBody = z.infer<typeof RelativesBody>;

export const Relatives = RelativesBody.extend({ date: z.string(), updatedAt: z.string() });
export type Relatives = z.infer<typeof Relatives>;

export const RelativesResponse = z.object({ relatives: Relatives.nullable() });

export const PresenceAtMeeting = z.object({
  meetingId: z.string(),
  milestone: MeetingMilestone,
  plannedAt: z.string(),
  resident: z.boolean(),
  relatives: z.boolean(),
});

export const Presence = z.object({
  held: z.number().meta({ description: 'meetings with attendance recorded' }),
  residentPresent: z.number(),
  relativesPresent: z.number(),
  meetings: z.array(PresenceAtMeeting).meta({ description: 'held meetings, oldest first' }),
});

export const Participation = z.object({
  consent: Consent.nullable(),
  relatives: Relatives.nullable(),
  presence: Presence.meta({ description: "the resident's presence, from the meetings' attendance" }),
});
export type Participation = z.infer<typeof Participation>;

export const ConsentReminderState = z.enum(['open', 'acknowledged', 'resolved']);

export const ConsentReminder = z.object({
  id: z.string(),
  stayId: z.string(),
  residentRef: z.string(),
  consentId: z.string(),
  validUntil: z.string(),
  institutionId: z.string(),
  raisedAt: z.string(),
  state: ConsentReminderState.meta({
    description:
      'resolved once the consent is renewed (another end date or a new answer), withdrawn, or the stay is over',
  }),
  acknowledgedAt: z.string().nullable(),
});
export type ConsentReminder = z.infer<typeof ConsentReminder>;

export const ConsentReminderQuery = z.object({
  state: stateListQuery(ConsentReminderState),
  stayId: z.uuid().optional(),
  ...pagingQuery({ max: 200, defaultLimit: 50 }),
});

export const ConsentReminderList = z.object({
  items: z.array(ConsentReminder),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
