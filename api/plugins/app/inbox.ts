import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import type { InboxItem } from '../../routes/inbox/schemas';
import type { Caller } from './auth';

export type InboxState = InboxItem['state'];

export type InboxFilters = {
  states: InboxState[];
  kind?: InboxItem['kind'];
  milestone?: string;
  stayId?: string;
  limit: number;
  offset: number;
};

/**
 * Resolved follows from the stay: the milestone was done, no longer applies, its due date moved (deviation, next
 * recurring date), or the stay is over. Nothing has to clear an escalation by hand.
 */
const STATE_SQL = `CASE
  WHEN m.key IS NULL OR m.done_at IS NOT NULL OR NOT m.applicable OR m.due_date IS DISTINCT FROM e.due_date OR s.status = 'completed'
    THEN 'resolved'
  WHEN e.acknowledged_at IS NOT NULL THEN 'acknowledged'
  ELSE 'open' END`;

const FROM_SQL = `FROM escalations e
  JOIN stays s ON s.id = e.stay_id
  LEFT JOIN stay_milestones m ON m.stay_id = e.stay_id AND m.key = e.milestone`;

/**
 * What is addressed to the caller's organisation (to it alone, or to both parties at the second level), about a stay
 * that is still its own: after a bydel change the open items moved to the new bydel, and the settled ones leave the
 * old bydel's inbox with the stay.
 */
function addressedTo(caller: Caller, params: unknown[]): string {
  if (caller.role === 'admin') return 'TRUE';
  params.push(caller.org);
  return caller.role === 'institution'
    ? `e.institution_id = $${params.length} AND s.institution_id = $${params.length} AND e.recipient_role IN ('institution', 'both')`
    : `e.bydel_id = $${params.length} AND s.bydel_id = $${params.length} AND e.recipient_role IN ('bydel', 'both')`;
}

const toItem = (r: Record<string, unknown>): InboxItem => ({
  id: r.id as string,
  stayId: r.stay_id as string,
  milestone: r.milestone as string,
  kind: r.kind as InboxItem['kind'],
  level: r.kind as InboxItem['kind'],
  dueDate: r.due_date as string,
  createdAt: (r.created_at as Date).toISOString(),
  recipient: r.recipient_role as InboxItem['recipient'],
  institutionId: r.institution_id as string,
  bydelId: r.bydel_id as string,
  state: r.state as InboxState,
  acknowledgedAt: r.acknowledged_at ? (r.acknowledged_at as Date).toISOString() : null,
  acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
  assignedTo: (r.assigned_to as string | null) ?? null,
});

export function createInbox(pool: Pool) {
  async function get(caller: Caller, id: string): Promise<InboxItem | null> {
    const params: unknown[] = [id];
    const rows = await pool.query(
      `SELECT e.*, ${STATE_SQL} AS state ${FROM_SQL} WHERE e.id = $1 AND ${addressedTo(caller, params)}`,
      params,
    );
    return rows.rows[0] ? toItem(rows.rows[0]) : null;
  }

  return {
    get,

    async list(caller: Caller, f: InboxFilters) {
      const params: unknown[] = [];
      const where = [addressedTo(caller, params)];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(`${sql} $${params.length}`);
      };
      if (f.kind) add('e.kind =', f.kind);
      if (f.milestone) add('e.milestone =', f.milestone);
      if (f.stayId) add('e.stay_id =', f.stayId);
      const base = `SELECT e.*, ${STATE_SQL} AS state ${FROM_SQL} WHERE ${where.join(' AND ')}`;
      const counts = await pool.query<{ state: InboxState; n: number }>(
        `SELECT state, count(*)::int AS n FROM (${base}) x GROUP BY state`,
        params,
      );
      const byState = { open: 0, acknowledged: 0, resolved: 0 };
      for (const c of counts.rows) byState[c.state] = c.n;
      const n = params.length;
      const rows = await pool.query(
        `SELECT * FROM (${base}) x WHERE state = ANY($${n + 1}) ORDER BY created_at DESC, id LIMIT $${n + 2} OFFSET $${n + 3}`,
        [...params, f.states, f.limit, f.offset],
      );
      return {
        items: rows.rows.map(toItem),
        total: f.states.reduce((sum, s) => sum + byState[s], 0),
        counts: byState,
        limit: f.limit,
        offset: f.offset,
      };
    },

    /** Idempotent: acknowledging twice keeps the first acknowledgement. */
    async acknowledge(caller: Caller, id: string): Promise<InboxItem | null> {
      if (!(await get(caller, id))) return null;
      await pool.query(
        'UPDATE escalations SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL',
        [id, caller.sub],
      );
      return get(caller, id);
    },

    async assignToSelf(caller: Caller, id: string): Promise<InboxItem | null> {
      if (!(await get(caller, id))) return null;
      await pool.query('UPDATE escalations SET assigned_to = $2, assigned_at = now() WHERE id = $1', [id, caller.sub]);
      return get(caller, id);
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    inbox: ReturnType<typeof createInbox>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('inbox', createInbox(opts.pool));
  },
  { name: 'inbox' },
);
