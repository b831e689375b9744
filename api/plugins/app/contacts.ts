import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../../config/database';
import type { Contact, ContactInput } from '../../../schemas/contacts';
import type { Caller } from './auth';
import { appendStayAudit } from './stay-audit';
import type { StayView } from '../../../schemas/stays';

type ContactRow = {
  id: string;
  role: Contact['role'];
  name: string;
  organisation_id: string;
  phone: string | null;
  email: string | null;
  user_id: string | null;
};

const toContact = (r: ContactRow): Contact => ({
  id: r.id,
  role: r.role,
  name: r.name,
  organisationId: r.organisation_id,
  ...(r.phone ? { phone: r.phone } : {}),
  ...(r.email ? { email: r.email } : {}),
  ...(r.user_id ? { userId: r.user_id } : {}),
});

/** The bydeler a stay has to do with: its own, the ones it had before a bydel change, the one it is moving to (§3). */
export function bydelerOf(stay: Pick<StayView, 'bydelId' | 'transition'>): string[] {
  const receiving = (stay.transition.housingOffered as { receivingBydelId?: string | null } | null)?.receivingBydelId;
  const earlier = stay.transition.bydelChanges.map((c) => c.from);
  return [...new Set([stay.bydelId, ...(receiving ? [receiving] : []), ...earlier])];
}

/**
 * Contacts that cannot belong to this stay, as `errors[]` entries: primary contacts are the institution's (§2:
 * "institusjonen tildeler primærkontakter"), bydel contacts and the booppfølger belong to a bydel of the stay — the
 * booppfølger also to the bydel the resident is moving to (§3).
 */
export function contactRefusals(
  stay: Pick<StayView, 'institutionId' | 'bydelId' | 'transition'>,
  contacts: ContactInput[],
): { path: string; message: string }[] {
  const bydeler = bydelerOf(stay);
  const errors: { path: string; message: string }[] = [];
  contacts.forEach((c, i) => {
    const path = `body.contacts.${i}.organisationId`;
    if (c.role === 'primary-contact' && c.organisationId !== stay.institutionId)
      errors.push({
        path,
        message: `a primary contact is assigned by the institution (§2), so belongs to ${stay.institutionId}`,
      });
    if ((c.role === 'bydel-contact' || c.role === 'housing-follow-up-worker') && !bydeler.includes(c.organisationId))
      errors.push({
        path,
        message: `a ${c.role === 'bydel-contact' ? 'bydel contact' : 'booppfølger'} belongs to a bydel of this stay: ${bydeler.join(' or ')}`,
      });
  });
  return errors;
}

/** The fields of a contact an audit entry compares (no timestamps). */
const auditView = (c: Contact) => ({
  id: c.id,
  role: c.role,
  name: c.name,
  organisationId: c.organisationId,
  phone: c.phone ?? null,
  email: c.email ?? null,
  userId: c.userId ?? null,
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The version of a stay's contact list (its ETag): a digest of what the list says, in order. Derived from the content
 * rather than counted, so it needs no column and two readers of the same list always agree on it.
 */
export const versionOf = (contacts: Contact[]): string =>
  createHash('sha256')
    .update(JSON.stringify(contacts.map(auditView)))
    .digest('base64url')
    .slice(0, 22);

async function listOn(client: Pool | PoolClient, stayId: string): Promise<Contact[]> {
  const rows = await client.query<ContactRow>(
    'SELECT id, role, name, organisation_id, phone, email, user_id FROM stay_contacts WHERE stay_id = $1 ORDER BY position',
    [stayId],
  );
  return rows.rows.map(toContact);
}

/** The list changed since the caller read it (If-Match): someone else's edit would otherwise be overwritten. */
export class StaleContacts extends Error {
  constructor(readonly current: string) {
    super('the contacts changed since they were read');
  }
}

export class UnknownContactId extends Error {
  constructor(readonly index: number) {
    super(`contacts.${index}.id is not a contact of this stay`);
  }
}

/** The contacts of stays (stay_contacts). Every change is one transaction with its audit entry (before → after). */
export function createContacts(pool: Pool) {
  return {
    async list(stayId: string): Promise<{ contacts: Contact[]; version: string }> {
      const contacts = await listOn(pool, stayId);
      return { contacts, version: versionOf(contacts) };
    },

    /**
     * Replaces the stay's contacts. Idempotent: a contact keeps its id when the body names it, or when an existing
     * contact has the same role, name and organisation (so a retried PUT changes nothing and writes no audit entry).
     * With `ifMatch` (the versions the caller read) a list changed meanwhile is refused (StaleContacts) — unless the
     * body asks for what the list already is: a retry whose first attempt went through answers as that one did.
     */
    async replace(
      stayId: string,
      caller: Caller,
      input: ContactInput[],
      ifMatch?: string[],
    ): Promise<{ contacts: Contact[]; changed: boolean; version: string }> {
      return withTransaction(pool, async (client) => {
        // one replacement of a stay's contacts at a time: the second sees the first one's result as "before"
        await client.query("SELECT pg_advisory_xact_lock(hashtext('stay-contacts'), hashtext($1))", [stayId]);
        const before = await listOn(client, stayId);
        const unclaimed = new Map(before.map((c) => [c.id, c]));
        const after: Contact[] = input.map((c, i) => {
          let id = c.id;
          if (id !== undefined && !unclaimed.has(id)) throw new UnknownContactId(i);
          if (id === undefined) {
            const match = [...unclaimed.values()].find(
              (e) =>
                e.role === c.role &&
                e.organisationId === c.organisationId &&
                e.name.toLowerCase() === c.name.toLowerCase(),
            );
            id = match?.id ?? randomUUID();
          }
          unclaimed.delete(id);
          return toContact({
            id,
            role: c.role,
            name: c.name,
            organisation_id: c.organisationId,
            phone: c.phone ?? null,
            email: c.email ?? null,
            user_id: c.userId ?? null,
          });
        });
        const beforeById = new Map(before.map((c) => [c.id, c]));
        const added = after.filter((c) => !beforeById.has(c.id)).map(auditView);
        const removed = [...unclaimed.values()].map(auditView);
        const changed = after
          .filter((c) => beforeById.has(c.id) && !same(auditView(beforeById.get(c.id)!), auditView(c)))
          .map((c) => ({ id: c.id, from: auditView(beforeById.get(c.id)!), to: auditView(c) }));
        const reordered = !same(
          before.filter((c) => !unclaimed.has(c.id)).map((c) => c.id),
          after.filter((c) => beforeById.has(c.id)).map((c) => c.id),
        );
        if (added.length === 0 && removed.length === 0 && changed.length === 0 && !reordered)
          return { contacts: before, changed: false, version: versionOf(before) };
        if (ifMatch && !ifMatch.includes(versionOf(before))) throw new StaleContacts(versionOf(before));

        if (removed.length > 0)
          await client.query('DELETE FROM stay_contacts WHERE stay_id = $1 AND id = ANY($2::uuid[])', [
            stayId,
            removed.map((c) => c.id),
          ]);
        await client.query(
          `INSERT INTO stay_contacts (id, stay_id, position, role, name, organisation_id, phone, email, user_id)
           SELECT c.id, $1, c.position, c.role, c.name, c.organisation_id, c.phone, c.email, c.user_id
             FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, position integer, role text, name text, organisation_id text,
               phone text, email text, user_id text)
           ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, role = EXCLUDED.role, name = EXCLUDED.name,
             organisation_id = EXCLUDED.organisation_id, phone = EXCLUDED.phone, email = EXCLUDED.email,
             user_id = EXCLUDED.user_id, updated_at = now()`,
          [
            stayId,
            JSON.stringify(
              after.map((c, position) => ({
                id: c.id,
                position,
                role: c.role,
                name: c.name,
                organisation_id: c.organisationId,
                phone: c.phone ?? null,
                email: c.email ?? null,
                user_id: c.userId ?? null,
              })),
            ),
          ],
        );
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'contacts.updated',
          details: { section: '§2', added, removed, changed },
        });
        return { contacts: after, changed: true, version: versionOf(after) };
      });
    },
  };
}

export type Contacts = ReturnType<typeof createContacts>;

declare module 'fastify' {
  interface FastifyInstance {
    contacts: Contacts;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('contacts', createContacts(opts.pool));
  },
  { name: 'contacts' },
);
