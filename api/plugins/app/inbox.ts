import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import type { z } from 'zod';
import { withTransaction } from '../../../config/database';
import type { InboxItem, InboxPage, InboxQuery, InboxState } from '../../../schemas/inbox';
import type { Caller } from './auth';
import { appendStayAudit } from './stay-audit';
import { alarmSettledSql } from '../../../outbox/alarm-state';
import { personNameSql } from '../../../outbox/people';

export type InboxFilters = z.output<typeof InboxQuery>;

/**
 * One item per deadline (a `deadline_alarms` row): the ladder's steps of one milestone and due date climb one item.
 * Resolved follows from the stay (outbox/alarm-state.ts): nothing has to clear an alarm by hand. Acknowledged holds
 * until a higher level is raised.
 */
const STATE_SQL = `CASE
  WHEN ${alarmSettledSql('e', 'm', 's')} THEN 'resolved'
  WHEN e.acknowledged_at IS NOT NULL THEN 'acknowledged'
  ELSE 'open' END`;

/** The alarm's steps, each its own escalation, oldest first. */
const stepsOf = (
  alarm: string,
) => `(SELECT json_agg(json_build_object('id', st.id, 'kind', st.kind, 'createdAt', st.created_at)
  ORDER BY st.created_at, CASE st.kind WHEN 'reminder' THEN 1 WHEN 'overdue' THEN 2 ELSE 3 END)
  FROM escalations st WHERE st.alarm_id = ${alarm}.id) AS steps`;

const FROM_SQL = `FROM deadline_alarms e
  JOIN stays s ON s.id = e.stay_id
  LEFT JOIN stay_milestones m ON m.stay_id = e.stay_id AND m.key = e.milestone
  LEFT JOIN stay_milestone_assignees ma ON ma.stay_id = e.stay_id AND ma.milestone = e.milestone`;

/**
 * People by name: from their login's name claim (user_directory), else from the stay's contacts where they are one.
 */
const nameOf = (column: string) => personNameSql(column, 'e.stay_id');
/** The same, for people named in an audit entry. */
async function namesOf(client: PoolClient, stayId: string, subs: (string | null)[]): Promise<Map<string, string>> {
  const rows = await client.query<{ sub: string; name: string | null }>(
    `SELECT x.sub, ${personNameSql('x.sub', '$2::uuid')} AS name FROM unnest($1::text[]) AS x(sub)`,
    [subs.filter((s) => s !== null), stayId],
  );
  return new Map(rows.rows.flatMap((r) => (r.name ? [[r.sub, r.name] as const] : [])));
}
const NAMES_SQL = `${nameOf('e.assigned_to')} AS assigned_to_name, ${nameOf('e.acknowledged_by')} AS acknowledged_by_name,
  ma.assigned_to AS milestone_assigned_to, ${nameOf('ma.assigned_to')} AS milestone_assigned_to_name`;

/**
 * The list's order. Grouped by resident, the resident whose worst deadline is highest and most recently raised comes
 * first, and a resident's deadlines stay together across pages: worst level, then the earliest due date.
 */
const ORDER_SQL: Record<InboxFilters['sort'], string> = {
  newest: 'level_raised_at DESC, id',
  resident: 'stay_rank DESC, stay_raised_at DESC, stay_id, level_rank DESC, due_date, milestone, id',
};

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
  residentRef: r.resident_ref as string,
  milestone: r.milestone as string,
  kind: r.level as InboxItem['kind'],
  level: r.level as InboxItem['kind'],
  dueDate: r.due_date as string,
  createdAt: (r.level_raised_at as Date).toISOString(),
  firstRaisedAt: (r.first_raised_at as Date).toISOString(),
  escalationId: r.escalation_id as string,
  steps: ((r.steps as { id: string; kind: InboxItem['kind']; createdAt: string }[] | null) ?? []).map((step) => ({
    ...step,
    createdAt: new Date(step.createdAt).toISOString(),
  })),
  recipient: r.recipient_role as InboxItem['recipient'],
  institutionId: r.institution_id as string,
  bydelId: r.bydel_id as string,
  state: r.state as InboxState,
  acknowledgedAt: r.acknowledged_at ? (r.acknowledged_at as Date).toISOString() : null,
  acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
  assignedTo: (r.assigned_to as string | null) ?? null,
  assignedToName: (r.assigned_to_name as string | null) ?? null,
  acknowledgedByName: (r.acknowledged_by_name as string | null) ?? null,
  milestoneAssignedTo: (r.milestone_assigned_to as string | null) ?? null,
  milestoneAssignedToName: (r.milestone_assigned_to_name as string | null) ?? null,
});

export function createInbox(pool: Pool) {
  /** An alarm by its id, or by the id of any of its steps (inbox ids handed out per step before alarms existed). */
  async function get(caller: Caller, id: string): Promise<InboxItem | null> {
    const params: unknown[] = [id];
    const rows = await pool.query(
      `SELECT e.*, s.resident_ref, ${stepsOf('e')}, ${STATE_SQL} AS state, ${NAMES_SQL} ${FROM_SQL}
       WHERE (e.id = $1 OR e.id = (SELECT alarm_id FROM escalations WHERE id = $1)) AND ${addressedTo(caller, params)}`,
      params,
    );
    return rows.rows[0] ? toItem(rows.rows[0]) : null;
  }

  return {
    get,

    async list(caller: Caller, f: InboxFilters): Promise<InboxPage> {
      const params: unknown[] = [];
      const where = [addressedTo(caller, params)];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(`${sql} $${params.length}`);
      };
      if (f.kind) add('e.level =', f.kind);
      if (f.milestone) add('e.milestone =', f.milestone);
      if (f.stayId) add('e.stay_id =', f.stayId);
      if (f.mine) {
        // what I took: the deadline itself, or the milestone it belongs to (on the stay page)
        params.push(caller.sub);
        where.push(`(e.assigned_to = $${params.length} OR ma.assigned_to = $${params.length})`);
      }
      if (f.myResidents) {
        params.push(caller.sub);
        where.push(`e.stay_id IN (SELECT c.stay_id FROM stay_contacts c WHERE c.user_id = $${params.length})`);
      }
      const base = `SELECT e.*, s.resident_ref, ${STATE_SQL} AS state, ${NAMES_SQL} ${FROM_SQL} WHERE ${where.join(' AND ')}`;
      const counts = await pool.query<{ state: InboxState; n: number }>(
        `SELECT state, count(*)::int AS n FROM (${base}) x GROUP BY state`,
        params,
      );
      const byState = { open: 0, acknowledged: 0, resolved: 0 };
      for (const c of counts.rows) byState[c.state] = c.n;
      const n = params.length;
      const rows = await pool.query(
        `SELECT y.*, ${stepsOf('y')} FROM (
           SELECT x.*, max(x.level_rank) OVER (PARTITION BY x.stay_id) AS stay_rank,
             max(x.level_raised_at) OVER (PARTITION BY x.stay_id) AS stay_raised_at
           FROM (${base}) x WHERE state = ANY($${n + 1})) y
         ORDER BY ${ORDER_SQL[f.sort]} LIMIT $${n + 2} OFFSET $${n + 3}`,
        [...params, f.state, f.limit, f.offset],
      );
      return {
        items: rows.rows.map(toItem),
        total: f.state.reduce((sum, s) => sum + byState[s], 0),
        counts: byState,
        limit: f.limit,
        offset: f.offset,
      };
    },

    /**
     * Acknowledges the deadline at its current level (and that level's step, for the record). Idempotent:
     * acknowledging twice keeps the first acknowledgement; a higher level raised later opens it again.
     */
    async acknowledge(caller: Caller, id: string): Promise<InboxItem | null> {
      const item = await get(caller, id);
      if (!item) return null;
      await withTransaction(pool, async (client) => {
        const acked = await client.query(
          `UPDATE deadline_alarms SET acknowledged_at = now(), acknowledged_by = $2, acknowledged_level = level
           WHERE id = $1 AND acknowledged_at IS NULL RETURNING escalation_id, level`,
          [item.id, caller.sub],
        );
        if (!acked.rows[0]) return;
        await client.query(
          'UPDATE escalations SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL',
          [acked.rows[0].escalation_id, caller.sub],
        );
        await appendStayAudit(client, {
          stayId: item.stayId,
          caller,
          action: 'escalation.acknowledged',
          milestone: item.milestone,
          details: { dueDate: item.dueDate, level: acked.rows[0].level },
        });
      });
      return get(caller, item.id);
    },

    /**
     * Takes the deadline: it stays taken as its level climbs. In the stay's audit trail (who took it over from whom);
     * taking what one already holds changes nothing and writes no entry, so a retried request is harmless.
     */
    async assignToSelf(caller: Caller, id: string): Promise<InboxItem | null> {
      const item = await get(caller, id);
      if (!item) return null;
      await withTransaction(pool, async (client) => {
        const taken = await client.query<{ before: string | null; level: string }>(
          `UPDATE deadline_alarms e SET assigned_to = $2, assigned_at = now()
             FROM (SELECT id, assigned_to FROM deadline_alarms WHERE id = $1 FOR UPDATE) old
            WHERE e.id = old.id AND old.assigned_to IS DISTINCT FROM $2
            RETURNING old.assigned_to AS before, e.level`,
          [item.id, caller.sub],
        );
        const change = taken.rows[0];
        if (!change) return;
        const names = await namesOf(client, item.stayId, [change.before, caller.sub]);
        const person = (sub: string | null) => (sub ? { userId: sub, name: names.get(sub) ?? null } : null);
        await appendStayAudit(client, {
          stayId: item.stayId,
          caller,
          action: 'escalation.taken',
          milestone: item.milestone,
          details: { dueDate: item.dueDate, level: change.level, from: person(change.before), to: person(caller.sub) },
        });
      });
      return get(caller, item.id);
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
