import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { OSLO } from '../../../../rules/oslo-calendar';
import type { AuditEntry } from '../../../../schemas/stays';
import { WhereClause } from './where-clause';

/** A stay's audit trail: who did what, when (the workflow's records and the API's own: contacts, meetings). */
export function createAuditRepository(pool: Pool) {
  return {
    /** Oldest first; `action` matches an action or its prefix (`milestone`, `escalation.overdue`). */
    async history(
      stayId: string,
      filters: { action?: string; from?: string; to?: string } = {},
    ): Promise<AuditEntry[]> {
      const where = new WhereClause().add('stay_id = ?', stayId);
      if (filters.action) where.add("(action = ? OR action LIKE ? || '.%')", filters.action);
      if (filters.from) where.add('at >= ?::timestamptz', filters.from);
      if (filters.to) where.add('at < ?::timestamptz', filters.to);
      // in time order: the API's entries (contacts, meetings; negative seq) sit between the workflow's
      const rows = await pool.query(`SELECT * FROM audit_events ${where.sql} ORDER BY at, seq`, where.params);
      return rows.rows.map((a) => ({
        seq: a.seq,
        at: (a.at as Date).toISOString(),
        atOslo: DateTime.fromJSDate(a.at as Date, { zone: OSLO }).toFormat('yyyy-MM-dd HH:mm:ss'),
        actor: { sub: a.actor_sub, role: a.actor_role, org: a.actor_org },
        action: a.action,
        milestone: a.milestone,
        details: a.details,
      }));
    },
  };
}
