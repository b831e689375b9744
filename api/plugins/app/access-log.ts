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

/**
 * The stays an answer shows: a stay itself (it has `id` and `residentRef`), or the stays the items of a list are
 * about (stays, or inbox items, escalations and deliveries, which name their `stayId`).
 */
export function staysShown(payload: unknown): string[] {
  const ids = new Set<string>();
  const look = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    // An item that names its stay (an inbox item, an escalation, a delivery) is about that stay, even when it also
    // carries an id of its own and the resident's reference; only a stay itself has `id` and `residentRef` alone.
    if (typeof o.stayId === 'string') ids.add(o.stayId);
    else if (typeof o.id === 'string' && 'residentRef' in o) ids.add(o.id);
  };
  look(payload);
  const items = (payload as { items?: unknown } | null)?.items;
  if (Array.isArray(items)) for (const item of items) look(item);
  return [...ids];
}

/** One access-log row as a read that writes it in its own statement needs it (`StaysRepository.getStay`). */
export type AccessLogRow = {
  actorSub: string;
  actorRole: string;
  actorOrg: string | null;
  view: AccessView;
  requestId: string;
};

export const accessLogRow = (caller: Caller, view: AccessView, requestId: string): AccessLogRow => ({
  actorSub: caller.sub,
  actorRole: caller.role,
  actorOrg: caller.role === 'admin' ? null : (caller.org ?? null),
  view,
  requestId,
});

/** Who read what, when: written before the data is sent, so a read that succeeded is never missing from the log. */
export function createAccessLog(pool: Pool) {
  /** Stays already logged for a request in flight (by its route), so the answer's own logging adds no duplicate. */
  const logged = new Map<string, Set<string | null>>();
  const insert = (caller: Caller, stayIds: (string | null)[], view: AccessView, requestId: string) => {
    const row = accessLogRow(caller, view, requestId);
    return pool.query({
      name: 'access-log-insert',
      text: `INSERT INTO access_log (actor_sub, actor_role, actor_org, stay_id, view, request_id)
       SELECT $1, $2, $3, s, $5, $6 FROM unnest($4::uuid[]) AS s`,
      values: [row.actorSub, row.actorRole, row.actorOrg, stayIds, row.view, row.requestId],
    });
  };
  return {
    /** A row the read itself wrote (in the same statement): the answer's own logging adds none for it. */
    recorded(requestId: string, stayId: string): void {
      logged.set(requestId, (logged.get(requestId) ?? new Set()).add(stayId));
    },
    async record(caller: Caller, stayId: string | null, view: AccessView, requestId: string): Promise<void> {
      await insert(caller, [stayId], view, requestId);
      logged.set(requestId, (logged.get(requestId) ?? new Set()).add(stayId));
    },
    /** One row per stay an answer shows that its route did not log itself. */
    async recordShown(caller: Caller, stayIds: string[], view: AccessView, requestId: string): Promise<void> {
      const already = logged.get(requestId);
      const rest = stayIds.filter((id) => !already?.has(id));
      if (rest.length > 0) await insert(caller, rest, view, requestId);
    },
    forget(requestId: string): void {
      logged.delete(requestId);
    },
    /** One entry per stay shown in a list, in one statement (the answer's own logging then adds none of them). */
    async recordEach(caller: Caller, stayIds: string[], view: AccessView, requestId: string): Promise<void> {
      const unique = [...new Set(stayIds)];
      if (unique.length === 0) return;
      await insert(caller, unique, view, requestId);
      const seen = logged.get(requestId) ?? new Set();
      for (const id of unique) seen.add(id);
      logged.set(requestId, seen);
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

/**
 * Every read is logged (Normen), not only the routes that log a view of their own: each stay an answer shows — in a
 * list, an inbox, a report, or as the answer to a command — gets a row before the answer is sent.
 */
export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    const log = createAccessLog(opts.pool);
    app.decorate('accessLog', log);
    app.addHook('preSerialization', async (request, reply, payload) => {
      if (!request.user || reply.statusCode >= 300) return payload;
      const shown = staysShown(payload);
      if (shown.length > 0)
        await log.recordShown(request.user, shown, request.method === 'GET' ? 'list' : 'command', request.id);
      return payload;
    });
    app.addHook('onResponse', async (request) => log.forget(request.id));
    app.addHook('onRequestAbort', async (request) => log.forget(request.id));
  },
  { name: 'access-log' },
);
