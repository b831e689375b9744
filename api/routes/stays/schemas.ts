import { z } from 'zod';
import { isoDate } from '../../../rules/milestone-details';
import { MILESTONE_KEYS } from '../../../rules/types';

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
  .meta({ description: 'pseudonymous reference of the resident — never a national identity number', example: 'R-2026-0042' });

const OrgId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only');

export const CreateStayBody = z
  .object({
    residentRef: ResidentRef,
    institutionId: OrgId,
    bydelId: OrgId,
    admittedAt: isoDate,
    completed: z
      .partialRecord(z.enum(MILESTONE_KEYS), isoDate)
      .optional()
      .meta({ description: 'onboarding of residents admitted before go-live: milestones already done, with their dates' }),
  })
  .strict();

export const StayParams = z.object({ id: z.uuid({ error: 'a stay id is a UUID' }) });
export const MilestoneParams = StayParams.extend({ key: z.string().min(1).max(64) });

export const MilestoneView = z.object({
  key: z.string(),
  title: z.string(),
  section: z.string(),
  dueDate: z.string().nullable(),
  originalDueDate: z.string().nullable(),
  status: z.enum(['pending', 'done', 'overdue', 'not-applicable']),
  doneAt: z.string().nullable(),
  responsible: z.enum(['institution', 'bydel', 'both']),
  recurring: z.boolean(),
  details: z.record(z.string(), z.unknown()).nullable(),
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
};

export const StayView = z.object({ ...StayFields, milestones: z.array(MilestoneView) });

export const StayListQuery = z.object({
  institutionId: OrgId.optional(),
  bydelId: OrgId.optional(),
  status: z.enum(['active', 'completed', 'ended']).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

export const StayList = page(
  z.object({ ...StayFields, nextDueDate: z.string().nullable(), overdueCount: z.number() }),
);

export const CompleteBodyDoc = z
  .looseObject({ doneAt: isoDate })
  .meta({ description: 'doneAt plus the milestone\'s record; see the milestone-specific fields in the README / rules/milestone-details.ts' });

export const InsufficientBody = z.object({ date: isoDate.optional() }).strict();

export const AuditList = z.object({
  items: z.array(
    z.object({
      seq: z.number(),
      at: z.string(),
      actor: z.object({ sub: z.string().nullable(), role: z.string(), org: z.string().nullable() }),
      action: z.string(),
      milestone: z.string().nullable(),
      details: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().min(8).max(128).optional().meta({ description: 'retry-safe key: the same key never applies a change twice' }),
});
