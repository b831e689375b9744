import { z } from 'zod';
import { DUE_SOON_DAYS } from '../rules/due-soon';
import { ExitPlan } from '../rules/exit-plan';
import { isoDate } from '../rules/milestone-details';
import { isIsoDate } from '../rules/oslo-calendar';
import { EARLY_END_REASONS, MILESTONE_KEYS, STAY_EVENT_TYPES } from '../rules/types';
import { page, pagingQuery } from './paging';

/** An 11-digit reference looks like a fødselsnummer/D-number: never accepted as a resident reference. */
const looksLikeNationalId = (value: string) => /^\d{11}$/.test(value.replace(/[\s.-]/g, ''));

export const ResidentRef = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only')
  .refine((v) => !looksLikeNationalId(v), {
    message: 'looks like a national identity number (11 digits); use the pseudonymous resident reference instead',
  })
  .meta({
    description: 'pseudonymous reference of the resident — never a national identity number',
    example: 'R-2026-0042',
    // what looksLikeNationalId refuses, said in the document: 11 digits, with only . and - between them
    not: { pattern: '^[.-]*(\\d[.-]*){11}$' },
  });

export const OrgId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only');

export const CreateStayBody = z
  .object({
    residentRef: ResidentRef,
    institutionId: OrgId,
    bydelId: OrgId,
    admittedAt: isoDate,
    completed: z
      .partialRecord(z.enum(MILESTONE_KEYS), isoDate)
      .meta({
        description: 'onboarding of residents admitted before go-live: milestones already done, with their dates',
        // the document names the keys the validator takes, and no others
        properties: Object.fromEntries(MILESTONE_KEYS.map((key) => [key, { type: 'string', format: 'date' }])),
        additionalProperties: false,
      })
      .optional(),
    previousStayId: z
      .uuid()
      .optional()
      .meta({ description: 'a move from another VEL institution: the stay this one continues' }),
  })
  .strict();

export const StayParams = z.object({ id: z.uuid({ error: 'a stay id is a UUID' }) });
export const MilestoneParams = StayParams.extend({ key: z.string().min(1).max(64) });

const Confirmation = z.object({ sub: z.string().nullable(), on: z.string() });

export const MilestoneView = z.object({
  key: z.enum(MILESTONE_KEYS),
  title: z.string(),
  section: z.string(),
  dueDate: z.string().nullable(),
  originalDueDate: z.string().nullable(),
  status: z.enum(['pending', 'done', 'overdue', 'not-applicable']),
  doneAt: z.string().nullable(),
  responsible: z.enum(['institution', 'bydel', 'both']),
  recurring: z.boolean(),
  details: z.record(z.string(), z.unknown()).nullable(),
  deviation: z
    .object({
      dueDate: z.string(),
      reason: z.string(),
      agreedBy: z.enum(['institution', 'bydel', 'both']),
      agreedOn: z.string(),
      confirmedBy: z
        .object({ institution: Confirmation.optional(), bydel: Confirmation.optional() })
        .optional()
        .meta({ description: 'which user of each party confirmed, and when (absent for deviations agreed before)' }),
      statedOnBehalfOfBoth: z
        .object({ sub: z.string().nullable(), role: z.string(), org: z.string().nullable() })
        .optional()
        .meta({ description: 'the user who stated that both parties agreed, on behalf of both' }),
    })
    .nullable(),
  pendingDeviation: z
    .object({
      dueDate: z.string(),
      reason: z.string(),
      proposedOn: z.string(),
      proposedBy: z.object({ party: z.enum(['institution', 'bydel']), sub: z.string().nullable() }),
    })
    .nullable()
    .meta({
      description:
        'a deviation proposed as agreed by both, awaiting the other party (POST /deviations/:milestone/confirm); the due date has not moved',
    }),
  closedBy: z.string().nullable().meta({
    description:
      'why it no longer applies: discharged, ended-early, not-in-offer, superseded-by-housing-offer (§2: the offer supersedes the housing track; it can still be recorded)',
  }),
  silencedBy: z.string().nullable().meta({
    description:
      'why it raises no further alarm although open: overdue-before-housing-offer (missed before the offer), no-deadline-after-housing-offer (applications: still recorded, no deadline)',
  }),
});

const Transition = z.object({
  housingOffered: z.record(z.string(), z.unknown()).nullable(),
  dischargedOn: z.string().nullable(),
  movedInOn: z.string().nullable(),
  endedEarly: z.record(z.string(), z.unknown()).nullable(),
  bydelChanges: z.array(z.object({ date: z.string(), from: z.string(), to: z.string() })),
  exitPlan: z.record(z.string(), z.unknown()).nullable(),
  availability: z
    .object({ from: z.string(), until: z.string() })
    .nullable()
    .meta({ description: "the institution's 4-week availability after discharge (§3)" }),
  participationEndsOn: z.string().nullable().meta({ description: "end of the institution's participation (§3.3)" }),
  completedOn: z.string().nullable(),
});

const StayFields = {
  id: z.string(),
  residentRef: z.string(),
  institutionId: z.string(),
  bydelId: z.string(),
  admittedAt: z.string(),
  status: z.enum(['active', 'completed', 'ended']),
  convener: z.enum(['institution', 'bydel']),
  overdue: z.boolean(),
  revision: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rulesVersion: z.number(),
  previousStayId: z.string().nullable(),
};

export const Recorder = z.object({
  role: z.enum(['institution', 'bydel', 'admin', 'system']),
  org: z.string().nullable(),
});

export const RecordedBy = z
  .object({
    milestones: z
      .record(z.string(), Recorder)
      .meta({ description: 'by milestone key: who recorded the completion now in effect' }),
    events: z.record(z.string(), Recorder).meta({ description: 'by event type: who recorded the event now in effect' }),
  })
  .meta({
    description:
      'who recorded each completion and event: that organisation, or an administrator, may correct it (POST /corrections)',
  });

export const StayView = z.object({
  ...StayFields,
  interpretations: z
    .record(z.string(), z.number())
    .nullable()
    .meta({ description: 'the interpretations this stay runs with (GET /api/config/rules explains each)' }),
  transition: Transition,
  milestones: z.array(MilestoneView),
  recordedBy: RecordedBy,
});

/** The most stays one page of the list holds (`limit`): a page the web app can draw at once. */
export const STAY_LIST_MAX_LIMIT = 200;

/** The orders the list offers; each is stable (ties broken down to the stay id), so paging never skips or repeats. */
export const StaySort = z.enum(['admitted', 'next-deadline', 'resident']);

export const StayListQuery = z.object({
  institutionId: OrgId.optional(),
  bydelId: OrgId.optional(),
  status: z.enum(['active', 'completed', 'ended']).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  movingTo: OrgId.optional().meta({
    description: 'active stays whose resident is moving to this bydel from another one (housing offered there, §3)',
  }),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: "mine beboere", the stays where you are a contact (a contact with your user id)' }),
  search: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9._:-]*$/, 'part of a resident reference: letters, digits and . _ : - only')
    .optional()
    .meta({ description: 'stays whose resident reference contains this text, in any case (empty: all)' }),
  sort: StaySort.default('admitted').meta({
    description:
      'admitted: the latest admission first (the default); next-deadline: the earliest open deadline first, stays without one last, then by resident reference; resident: by resident reference, A–Z',
  }),
  ...pagingQuery({ max: STAY_LIST_MAX_LIMIT, defaultLimit: 50 }),
});

export const MovingTo = z.object({
  bydelId: z.string(),
  housingOfferedOn: z.string(),
  expectedMoveInDate: z.string().nullable(),
});

export const StayList = page(
  z.object({
    ...StayFields,
    nextDueDate: z.string().nullable(),
    nextMilestone: z
      .enum(MILESTONE_KEYS)
      .nullable()
      .meta({ description: 'the milestone whose open due date is nextDueDate' }),
    nextMilestoneAssignee: z
      .object({ userId: z.string(), name: z.string().nullable() })
      .nullable()
      .meta({ description: 'who took that milestone ("Ta saken" on the stay page), by name when known' }),
    overdueCount: z.number(),
    movingTo: MovingTo.nullable().meta({
      description: 'the resident is moving to another bydel (§3: that bydel is involved early), until the bydel change',
    }),
  }),
).extend({
  counts: z
    .object({
      overdue: z.number().meta({ description: 'of them, stays with a binding deadline passed' }),
      dueSoon: z.number().meta({
        description: `of them, active stays with nothing overdue whose next deadline is within the next ${DUE_SOON_DAYS} days`,
      }),
    })
    .meta({ description: 'over every stay the filters match (`total`), not only this page' }),
});

export const CompleteBodyDoc = z.looseObject({ doneAt: isoDate }).meta({
  description:
    "doneAt plus the milestone's record; see the milestone-specific fields in the README / rules/milestone-details.ts",
});

export const InsufficientBody = z.object({ date: isoDate.optional() }).strict();

export const AuditEntry = z.object({
  seq: z.number(),
  at: z.string(),
  atOslo: z.string().meta({ description: 'local time in Oslo' }),
  actor: z.object({ sub: z.string().nullable(), role: z.string(), org: z.string().nullable() }),
  action: z.string(),
  milestone: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const AuditList = z.object({ items: z.array(AuditEntry) });

/**
 * A date, or an RFC 3339 time with its offset: exactly what the OpenAPI document says (anyOf date / date-time). A time
 * goes on in UTC: PostgreSQL takes offsets only up to ±15:59, RFC 3339 up to ±23:59.
 */
const instant = z
  .string()
  .refine((v) => isIsoDate(v) || z.iso.datetime({ offset: true }).safeParse(v).success, {
    message: 'must be a date (YYYY-MM-DD) or an ISO 8601 time with offset (2026-03-01T08:00:00+01:00)',
    params: { format: true },
  })
  .transform((v) => (isIsoDate(v) ? v : new Date(v).toISOString()))
  .meta({ anyOf: [{ format: 'date' }, { format: 'date-time' }] });

export const HistoryQuery = z.object({
  action: z
    .string()
    .regex(/^[a-z.-]+$/, 'an action such as milestone.completed, or a prefix such as escalation')
    .max(64)
    .optional(),
  from: instant.optional().meta({ description: 'from this instant (inclusive)' }),
  to: instant.optional().meta({ description: 'until this instant (exclusive)' }),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(128)
    .optional()
    .meta({ description: 'retry-safe key: the same key never applies a change twice' }),
});

/** Free text of at least 3 characters once trimmed; the pattern says so in the document (\s is what trim() removes). */
const reasonText = z.string().trim().min(3).max(500).meta({ pattern: '\\S[\\s\\S]+\\S' });

const OrgRef = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only');

/** The body of each event type (fixed names of the API contract). */
export const EVENT_BODIES = {
  'housing-offered': z
    .object({
      date: isoDate,
      hasBooppfolgingDecision: z
        .boolean()
        .meta({ description: 'the resident has a vedtak on booppfølging (→ housing-follow-up-contact)' }),
      housingConditionalOnFollowUp: z
        .boolean()
        .meta({ description: 'the housing came with a condition of necessary follow-up (→ cooperation-agreement)' }),
      expectedMoveInDate: isoDate.optional(),
      receivingBydelId: OrgRef.optional().meta({
        description: 'moving to another bydel: that bydel is involved early (§3)',
      }),
    })
    .strict(),
  discharged: z.object({ date: isoDate }).strict(),
  'moved-in': z.object({ date: isoDate }).strict(),
  'ended-early': z
    .object({ date: isoDate, reason: z.enum(EARLY_END_REASONS), toInstitutionId: OrgRef.optional() })
    .strict(),
  'bydel-changed': z.object({ date: isoDate, bydelId: OrgRef }).strict(),
} as const satisfies Record<(typeof STAY_EVENT_TYPES)[number], z.ZodType>;

export const EventParams = StayParams.extend({ type: z.string().min(1).max(64) });
export const EventBodyDoc = z
  .looseObject({ date: isoDate })
  .meta({ description: 'date plus the fields of the event type' });

export const DeviationBody = z
  .object({
    milestone: z.enum(MILESTONE_KEYS),
    dueDate: isoDate,
    reason: reasonText.meta({ description: 'why another time frame was agreed (free text: no health details)' }),
    agreedBy: z.enum(['institution', 'bydel', 'both']).meta({
      description:
        'your own party, or `both`: then the other party confirms (POST /deviations/:milestone/confirm) before the date moves, unless you state it on behalf of both (`onBehalfOfBoth`)',
    }),
    onBehalfOfBoth: z.boolean().optional().meta({
      description:
        'with agreedBy both: you state that both parties agreed; the date moves at once and the history records it as stated on their behalf',
    }),
  })
  .strict();

export const ConfirmDeviationParams = StayParams.extend({ milestone: z.enum(MILESTONE_KEYS) });

export const ExitPlanBody = ExitPlan;

export const ExtraStatusReportBody = z.object({ dueDate: isoDate }).strict();

export const CorrectionBody = z
  .object({
    target: z.union([
      z.object({ milestone: z.enum(MILESTONE_KEYS) }).strict(),
      z.object({ event: z.enum(STAY_EVENT_TYPES) }).strict(),
    ]),
    action: z.enum(['withdraw', 'change-date']),
    date: isoDate.optional(),
    reason: reasonText,
  })
  .strict()
  .refine((b) => b.action !== 'change-date' || b.date, {
    message: 'a change-date correction needs the corrected date',
    path: ['date'],
  })
  .meta({
    if: { properties: { action: { const: 'change-date' } }, required: ['action'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then (the document), not a thenable
    then: { required: ['date'] },
  });

export type StayView = z.infer<typeof StayView>;
export type MilestoneView = z.infer<typeof MilestoneView>;
export type StaySummary = z.infer<typeof StayList>['items'][number];
export type StayFilters = z.output<typeof StayListQuery>;
export type StaySort = z.infer<typeof StaySort>;
export type StayList = z.infer<typeof StayList>;
export type MovingTo = z.infer<typeof MovingTo>;
export type Recorder = z.infer<typeof Recorder>;
export type RecordedBy = z.infer<typeof RecordedBy>;
export type AuditEntry = z.infer<typeof AuditEntry>;
export type AuditList = z.infer<typeof AuditList>;
