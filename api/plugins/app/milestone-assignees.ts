import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../../config/database';
import type { MilestoneKey } from '../../../rules/types';
import type { MilestoneAssignee } from '../../../schemas/milestone-assignees';
import type { Caller } from './auth';
import { appendStayAudit } from './stay-audit';
import { personNameSql } from '../../../outbox/people';

/** People by name (user-directory.ts). */
const NAME_SQL = personNameSql('a.assigned_to', 'a.stay_id');

const toAssignee = (r: Record<string, unknown>): MilestoneAssignee => ({
  milestone: r.milestone as MilestoneKey,
  userId: r.assigned_to as string,
  name: (r.name as string | null) ?? null,
  assignedAt: (r.assigned_at as Date).toISOString(),
});

async function listOn(client: Pool | PoolClient, stayId: string): Promise<MilestoneAssignee[]> {
  const rows = await client.query(
    `SELECT a.milestone, a.assigned_to, a.assigned_at, ${NAME_SQL} AS name
       FROM stay_milestone_assignees a WHERE a.stay_id = $1 ORDER BY a.milestone`,
    [stayId],
  );
  return rows.rows.map(toAssignee);
}

async function holderOf(client: PoolClient, stayId: string, milestone: MilestoneKey) {
  const rows = await client.query(
    `SELECT a.milestone, a.assigned_to, a.assigned_at, ${NAME_SQL} AS name
       FROM stay_milestone_assignees a WHERE a.stay_id = $1 AND a.milestone = $2 FOR UPDATE`,
    [stayId, milestone],
  );
  return rows.rows[0] ? toAssignee(rows.rows[0]) : null;
}

const auditView = (a: MilestoneAssignee | null) => (a ? { userId: a.userId, name: a.name } : null);

/** Someone else holds the milestone: only they (or an administrator) give it back; anyone of the stay takes it over. */
export class HeldByAnother extends Error {
  constructor(readonly holder: MilestoneAssignee) {
    super('the milestone is held by another person');
  }
}

/**
 * Who follows each milestone of a stay up ("Ta saken"), in stay_milestone_assignees. Every change is one transaction
 * with its audit entry (before → after); taking what one already holds, or giving back what nobody holds, changes
 * nothing and writes no entry, so a retried request is harmless.
 */
export function createMilestoneAssignees(pool: Pool) {
  return {
    list: (stayId: string) => listOn(pool, stayId),

    async take(stayId: string, milestone: MilestoneKey, caller: Caller): Promise<MilestoneAssignee[]> {
      return withTransaction(pool, async (client) => {
        // the row may not exist yet: serialise takes of one milestone so each sees the previous one as "before"
        await client.query("SELECT pg_advisory_xact_lock(hashtext('milestone-assignee'), hashtext($1))", [
          `${stayId}:${milestone}`,
        ]);
        const before = await holderOf(client, stayId, milestone);
        if (before?.userId === caller.sub) return listOn(client, stayId);
        await client.query(
          `INSERT INTO stay_milestone_assignees (stay_id, milestone, assigned_to, assigned_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (stay_id, milestone) DO UPDATE SET assigned_to = EXCLUDED.assigned_to, assigned_at = now()`,
          [stayId, milestone, caller.sub],
        );
        const after = await holderOf(client, stayId, milestone);
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'milestone.taken',
          milestone,
          details: { from: auditView(before), to: auditView(after) },
        });
        return listOn(client, stayId);
      });
    },

    async giveBack(stayId: string, milestone: MilestoneKey, caller: Caller): Promise<MilestoneAssignee[]> {
      return withTransaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('milestone-assignee'), hashtext($1))", [
          `${stayId}:${milestone}`,
        ]);
        const before = await holderOf(client, stayId, milestone);
        if (!before) return listOn(client, stayId);
        if (before.userId !== caller.sub && caller.role !== 'admin') throw new HeldByAnother(before);
        await client.query('DELETE FROM stay_milestone_assignees WHERE stay_id = $1 AND milestone = $2', [
          stayId,
          milestone,
        ]);
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'milestone.given-back',
          milestone,
          details: { from: auditView(before), to: null },
        });
        return listOn(client, stayId);
      });
    },
  };
}

export type MilestoneAssignees = ReturnType<typeof createMilestoneAssignees>;

declare module 'fastify' {
  interface FastifyInstance {
    milestoneAssignees: MilestoneAssignees;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('milestoneAssignees', createMilestoneAssignees(opts.pool));
  },
  { name: 'milestone-assignees' },
);
