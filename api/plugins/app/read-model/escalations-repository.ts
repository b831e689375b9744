import type { Pool } from 'pg';
import type { Escalation, EscalationFilters } from '../../../../schemas/escalations';
import type { Page } from '../../../../schemas/paging';
import type { Scope } from '../auth';
import { WhereClause } from './where-clause';

/** Escalations (reminders, overdue, second level) as raised by the workflows, newest first. */
export function createEscalationsRepository(pool: Pool) {
  return {
    async listEscalations(scope: Scope, filters: EscalationFilters): Promise<Page<Escalation>> {
      const where = new WhereClause();
      if (scope.institutionId) where.add('e.institution_id = ?', scope.institutionId);
      if (scope.bydelId) where.add('e.bydel_id = ?', scope.bydelId);
      if (filters.stayId) where.add('e.stay_id = ?', filters.stayId);
      if (filters.kind) where.add('e.kind = ?', filters.kind);
      const { params } = where;
      const total = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM escalations e ${where.sql}`, params);
      const n = params.length;
      const rows = await pool.query(
        `SELECT e.* FROM escalations e ${where.sql} ORDER BY e.created_at DESC, e.id LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...params, filters.limit, filters.offset],
      );
      return {
        items: rows.rows.map((e) => ({
          id: e.id,
          stayId: e.stay_id,
          milestone: e.milestone,
          kind: e.kind,
          dueDate: e.due_date,
          recipient: e.recipient_role,
          institutionId: e.institution_id,
          bydelId: e.bydel_id,
          createdAt: (e.created_at as Date).toISOString(),
        })),
        total: Number(total.rows[0]!.n),
        limit: filters.limit,
        offset: filters.offset,
      };
    },
  };
}
