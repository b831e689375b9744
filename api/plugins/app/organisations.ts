import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../../config/database';
import type {
  CreateOrganisationInput,
  Organisation,
  OrganisationEvent,
  UpdateOrganisationInput,
} from '../../../schemas/organisations';

/** Who changed the register: an admin (sub, role), or the system (migration, demo seed). */
export type RegisterActor = { sub: string | null; role: string };

type Kind = Organisation['kind'];

const toOrganisation = (r: Record<string, unknown>): Organisation => ({
  id: r.id as string,
  kind: r.kind as Kind,
  name: r.name as string,
  active: r.active as boolean,
  createdAt: (r.created_at as Date).toISOString(),
  updatedAt: (r.updated_at as Date).toISOString(),
  updatedBy: (r.updated_by as string | null) ?? null,
});

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown, constraint: string) =>
  (err as { code?: string })?.code === UNIQUE_VIOLATION && (err as { constraint?: string }).constraint === constraint;

/** Appends to an organisation's change log; inside the caller's transaction when the change has one. */
export async function recordOrganisationEvent(
  client: PoolClient | Pool,
  orgId: string,
  actor: RegisterActor,
  action: OrganisationEvent['action'],
  details: Record<string, unknown>,
) {
  await client.query(
    'INSERT INTO organisation_events (org_id, actor_sub, actor_role, action, details) VALUES ($1, $2, $3, $4, $5)',
    [orgId, actor.sub, actor.role, action, JSON.stringify(details)],
  );
}

/** Why an id cannot be a stay's bydel, or null when it can. */
export type BydelRefusal = 'unknown' | 'inactive' | 'not-a-bydel';

/** The organisation register (institutions and bydeler). Every change is one transaction with its audit entry. */
export function createOrganisations(pool: Pool) {
  async function get(id: string): Promise<Organisation | null> {
    const found = await pool.query('SELECT * FROM organisations WHERE id = $1', [id]);
    return found.rows[0] ? toOrganisation(found.rows[0]) : null;
  }

  async function byName(kind: Kind, name: string): Promise<Organisation | null> {
    const found = await pool.query('SELECT * FROM organisations WHERE kind = $1 AND lower(name) = lower($2)', [
      kind,
      name,
    ]);
    return found.rows[0] ? toOrganisation(found.rows[0]) : null;
  }

  return {
    get,

    async list(f: { kind?: Kind; active?: boolean }): Promise<Organisation[]> {
      const params: unknown[] = [];
      const where: string[] = [];
      if (f.kind) where.push(`kind = $${params.push(f.kind)}`);
      if (f.active !== undefined) where.push(`active = $${params.push(f.active)}`);
      const rows = await pool.query(
        `SELECT * FROM organisations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY kind DESC, name, id`,
        params,
      );
      return rows.rows.map(toOrganisation);
    },

    /** A new organisation, or what it collides with: the same id, or the same name within its kind. */
    async create(
      input: CreateOrganisationInput,
      actor: RegisterActor,
    ): Promise<{ created: Organisation } | { conflict: 'id' | 'name'; existing: Organisation | null }> {
      try {
        const row = await withTransaction(pool, async (client) => {
          const inserted = await client.query(
            'INSERT INTO organisations (id, kind, name, updated_by) VALUES ($1, $2, $3, $4) RETURNING *',
            [input.id, input.kind, input.name, actor.sub],
          );
          await recordOrganisationEvent(client, input.id, actor, 'organisation.created', {
            kind: input.kind,
            name: input.name,
          });
          return inserted.rows[0];
        });
        return { created: toOrganisation(row) };
      } catch (err) {
        if (isUniqueViolation(err, 'organisations_pkey')) return { conflict: 'id', existing: await get(input.id) };
        if (isUniqueViolation(err, 'organisations_kind_name_idx'))
          return { conflict: 'name', existing: await byName(input.kind, input.name) };
        throw err;
      }
    },

    /** Renames and/or (de)activates; a field that does not change writes no audit entry. Null: no such organisation. */
    async update(
      id: string,
      patch: UpdateOrganisationInput,
      actor: RegisterActor,
    ): Promise<{ updated: Organisation } | { conflict: 'name'; existing: Organisation | null } | null> {
      try {
        const row = await withTransaction(pool, async (client) => {
          const before = (await client.query('SELECT * FROM organisations WHERE id = $1 FOR UPDATE', [id])).rows[0];
          if (!before) return null;
          const renamed = patch.name !== undefined && patch.name !== before.name;
          const toggled = patch.active !== undefined && patch.active !== before.active;
          if (!renamed && !toggled) return before;
          const after = await client.query(
            'UPDATE organisations SET name = $2, active = $3, updated_at = now(), updated_by = $4 WHERE id = $1 RETURNING *',
            [id, renamed ? patch.name : before.name, toggled ? patch.active : before.active, actor.sub],
          );
          if (renamed)
            await recordOrganisationEvent(client, id, actor, 'organisation.renamed', {
              from: before.name,
              to: patch.name,
            });
          if (toggled)
            await recordOrganisationEvent(
              client,
              id,
              actor,
              patch.active ? 'organisation.reactivated' : 'organisation.deactivated',
              {
                name: after.rows[0].name,
              },
            );
          return after.rows[0];
        });
        return row ? { updated: toOrganisation(row) } : null;
      } catch (err) {
        if (isUniqueViolation(err, 'organisations_kind_name_idx')) {
          const kind = (await get(id))?.kind;
          return { conflict: 'name', existing: kind && patch.name ? await byName(kind, patch.name) : null };
        }
        throw err;
      }
    },

    async history(id: string): Promise<OrganisationEvent[]> {
      const rows = await pool.query('SELECT * FROM organisation_events WHERE org_id = $1 ORDER BY id', [id]);
      return rows.rows.map((r) => ({
        at: (r.at as Date).toISOString(),
        actor: { sub: r.actor_sub ?? null, role: r.actor_role },
        action: r.action,
        details: r.details ?? null,
      }));
    },

    /** Whether `id` may be named as a stay's bydel (registration, bydel change, a move): a registered, active bydel. */
    async bydelRefusal(id: string): Promise<BydelRefusal | null> {
      const org = await get(id);
      if (!org) return 'unknown';
      if (org.kind !== 'bydel') return 'not-a-bydel';
      return org.active ? null : 'inactive';
    },
  };
}

/** Demo data for the embedded development default only: never real institutions. */
export const DEMO_INSTITUTIONS = [
  { id: 'inst-1', name: 'Institusjon 1 (demo)' },
  { id: 'inst-2', name: 'Institusjon 2 (demo)' },
  { id: 'inst-3', name: 'Institusjon 3 (demo)' },
] as const;

/**
 * `npm start` in the embedded default: when the register has no institution at all, add the three demo
 * institutions so that the development login has something to offer. Returns how many were added.
 */
export async function seedDemoInstitutions(pool: Pool): Promise<number> {
  return withTransaction(pool, async (client) => {
    await client.query('LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE');
    const existing = await client.query("SELECT 1 FROM organisations WHERE kind = 'institution' LIMIT 1");
    if (existing.rowCount) return 0;
    const actor = { sub: 'npm start (demo data)', role: 'system' };
    let added = 0;
    for (const inst of DEMO_INSTITUTIONS) {
      const inserted = await client.query(
        "INSERT INTO organisations (id, kind, name, updated_by) VALUES ($1, 'institution', $2, $3) ON CONFLICT DO NOTHING",
        [inst.id, inst.name, actor.sub],
      );
      if (!inserted.rowCount) continue;
      await recordOrganisationEvent(client, inst.id, actor, 'organisation.created', {
        kind: 'institution',
        name: inst.name,
        demo: true,
      });
      added++;
    }
    return added;
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    organisations: ReturnType<typeof createOrganisations>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('organisations', createOrganisations(opts.pool));
  },
  { name: 'organisations' },
);
