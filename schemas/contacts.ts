import { z } from 'zod';
import { emailAddress } from './email';

/**
 * Contacts of a stay: who to call (§2, §3). The wire format of GET/PUT /api/stays/:id/contacts; the repository
 * (api/plugins/app/contacts.ts) and the web app take their types from here.
 */
export const CONTACT_ROLES = ['primary-contact', 'bydel-contact', 'housing-follow-up-worker', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** Digits with spaces, dashes or brackets between them, an optional leading + (country code): 8–15 digits. */
const phoneDigits = (v: string) => v.replace(/[\s()-]/g, '');
export const Phone = z
  .string()
  .trim()
  .max(30)
  .refine((v) => /^\+?\d{8,15}$/.test(phoneDigits(v)) && /^\+?[\d\s()-]+$/.test(v), {
    message: 'a phone number has 8 to 15 digits, with an optional leading + and country code, e.g. +47 22 33 44 55',
  })
  .meta({ example: '+47 22 33 44 55' });

export const Email = emailAddress('an e-mail address looks like name@example.no').meta({
  example: 'kari.nordmann@vel.oslo.kommune.no',
});

const OrganisationId = z
  .string()
  .trim()
  .min(1, 'a contact belongs to an organisation')
  .max(100)
  .regex(/^[\p{L}\p{N} ._:&()/-]+$/u, 'use letters, digits, spaces and . _ : & ( ) / - only')
  .meta({
    description:
      'the institution or bydel id from the register; for `other`, any organisation (an id or a name such as "DPS Nord")',
  });

export const ContactInput = z
  .object({
    id: z.uuid().optional().meta({
      description:
        'keep an existing contact (its meeting invitations stay); without it, a contact equal in role, name and organisation keeps its id',
    }),
    role: z.enum(CONTACT_ROLES).meta({
      description:
        'primary-contact (institution, §2) | bydel-contact (§2) | housing-follow-up-worker (booppfølger, §3; also from the bydel the resident is moving to) | other',
    }),
    name: z.string().trim().min(1, 'a contact needs a name').max(200),
    organisationId: OrganisationId,
    phone: Phone.optional(),
    email: Email.optional(),
    userId: z.string().trim().min(1).max(200).optional().meta({
      description: "the contact's own login (the token's sub): the stay is then among their residents (?mine=true)",
    }),
  })
  .strict();
export type ContactInput = z.infer<typeof ContactInput>;

export const PutContactsBody = z
  .object({ contacts: z.array(ContactInput).max(50, 'at most 50 contacts per stay') })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.contacts.forEach((c, i) => {
      const key = `${c.role}\0${c.name.toLowerCase()}\0${c.organisationId}`;
      const first = seen.get(key);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['contacts', i, 'name'],
          message: `the same person is listed twice in this role (also at contacts.${first})`,
        });
      else seen.set(key, i);
    });
  });
export type PutContactsBody = z.infer<typeof PutContactsBody>;

export const Contact = z.object({
  id: z.string(),
  role: z.enum(CONTACT_ROLES),
  name: z.string(),
  organisationId: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
  userId: z.string().optional(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactList = z.object({
  contacts: z.array(Contact),
  version: z.string().meta({
    description:
      'the version of the list (also the ETag header): send it back as `If-Match: "<version>"` with PUT, so that a change made meanwhile by someone else is refused (412) instead of overwritten',
  }),
});
export type ContactList = z.infer<typeof ContactList>;
