import { z } from 'zod';

/** The organisation register's wire format: the API validates and documents with these, the web app types its calls with them. */

/** Letters, digits, ".", "_" and "-"; at most 64, so that the id fits a stay's institutionId / bydelId. */
export const OrganisationId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'an organisation id is 1–64 letters, digits, ".", "_" or "-"')
  .meta({ example: 'bydel-frogner' });

export const OrganisationKind = z.enum(['institution', 'bydel']);

const Name = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(200, 'a name is at most 200 characters')
  .meta({ description: 'as people see it, e.g. "Bydel Frogner"' });

export const Organisation = z.object({
  id: z.string(),
  kind: OrganisationKind,
  name: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type Organisation = z.infer<typeof Organisation>;

export const OrganisationList = z.object({ items: z.array(Organisation) });
export type OrganisationList = z.infer<typeof OrganisationList>;

export const OrganisationListQuery = z.object({
  kind: OrganisationKind.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only active organisations; false: only deactivated ones; unset: all' }),
});

export const CreateOrganisationBody = z
  .object({
    id: OrganisationId.meta({ description: 'the id stays and tokens use; cannot be changed later' }),
    kind: OrganisationKind,
    name: Name,
  })
  .strict();
export type CreateOrganisationInput = z.infer<typeof CreateOrganisationBody>;

export const UpdateOrganisationBody = z
  .object({
    name: Name.optional(),
    active: z.boolean().optional().meta({ description: 'false deactivates: no new stays for a deactivated bydel' }),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.active !== undefined, { message: 'send name, active or both' })
  .meta({ minProperties: 1 });
export type UpdateOrganisationInput = z.infer<typeof UpdateOrganisationBody>;

export const OrganisationEvent = z.object({
  at: z.string(),
  actor: z.object({ sub: z.string().nullable(), role: z.string() }),
  action: z.enum([
    'organisation.created',
    'organisation.renamed',
    'organisation.deactivated',
    'organisation.reactivated',
    /** details: residentRefInTitles { from, to } */
    'organisation.calendar-settings-changed',
  ]),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type OrganisationEvent = z.infer<typeof OrganisationEvent>;

export const OrganisationHistory = z.object({ orgId: z.string(), items: z.array(OrganisationEvent) });
export type OrganisationHistory = z.infer<typeof OrganisationHistory>;
