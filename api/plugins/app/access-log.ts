import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import type { AccessEntry, AccessView } from '../../../schemas/admin';
import type { Caller } from './auth';

const toEntry = (r: Record<string, unknown>): AccessEntry => ({
  at: (r.at as Date).toISOString(),
  actor: { sub: r.actor_sub as string, role: r.actor_role as string, org: (r.actor_org as string | null) ?? null },
  stayId: (r.stay_id as string | null) ?? null,
  view: r.view as string,
  requestId: (r.request_id as string | null) ?? null,
});

/** Who read what, when: written before the data is sent, so a read that succeeded is never missing from the log. */
export function createAccessLog(pool: Pool) {
  return {
    async record(caller: Caller, stayId: string | null, view: AccessView, requestId: string): Promise<void> {
      await pool.query(
        'INSERT INTO access_log (actor_sub, actor_role, actor_org, stay_id, view, request_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [caller.sub, caller.role, caller.role === 'admin' ? null : caller.org, stayId, view, requestId],
      );
    },
    /** One entry per stay shown in a list, in one statement. */
    async recordEach(caller: Caller, stayIds: string[], view: AccessView, requestId: string): Promise<void> {
      if (stayIds.length === 0) return;
      await pool.query(
        `INSERT INTO access_log (actor_sub, actor_role, actor_org, stay_id, view, request_id)
         SELECT $1, $2, $3, s, $5, $6 FROM unnest($4::uuid[]) AS s`,
        [caller.sub, caller.role, caller.role === 'admin' ? null : caller.org, [...new Set(stayIds)], view, requestId],
      );
    },
    async forStay(stayId: string, limit: number, offset: number): Promise<AccessEntry[]> {
      const rows = await pool.query(
        'SELECT * FROM access_log WHERE stay_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3',
        [stayId, limit, offset],
      );
      return rows.rows.map(toEntry);
    },
    async forUser(sub: string, limit: number, offset: number): Promise<AccessEntry[]> {
      const rows = await pool.query(
        'SELECT * FROM access_log WHERE actor_sub = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3',
        [sub, limit, offset],
      );
      return rows.rows.map(toEntry);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    accessLog: ReturnType<typeof createAccessLog>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('accessLog', createAccessLog(opts.pool));
  },
  { name: 'access-log' },
);
