import type { Client } from '@temporalio/client';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../config/database';

export const ANONYMISED_REF = 'anonymisert';

type AnonymiseInput = { stayId: string; auditSeq: number; at: string; retentionDays: number };

/**
 * Removes a closed stay's personal data from PostgreSQL after its retention period, keeping what makes anonymous
 * figures (dates, statuses, milestone structure): the resident reference, free-text reasons, the staff who acted,
 * the e-mail addresses notified, and every notification still queued about it (a digest left without items goes too).
 * Idempotent: a retried run finds nothing left to remove and writes its audit entry once.
 */
async function anonymiseStayRows(client: PoolClient, input: AnonymiseInput): Promise<void> {
  await client.query(
    `UPDATE stays SET resident_ref = $2, anonymised_at = COALESCE(anonymised_at, $3::timestamptz) WHERE id = $1`,
    [input.stayId, ANONYMISED_REF, input.at],
  );
  await client.query(
    `UPDATE stay_milestones SET deviation = deviation - 'reason' WHERE stay_id = $1 AND jsonb_typeof(deviation) = 'object'`,
    [input.stayId],
  );
  await client.query('SELECT anonymise_audit_trail($1)', [input.stayId]);
  await client.query(`UPDATE escalations SET acknowledged_by = NULL, assigned_to = NULL WHERE stay_id = $1`, [
    input.stayId,
  ]);
  const removed = await client.query<{ digest_id: string | null }>(
    `DELETE FROM notification_outbox o USING escalations e WHERE o.escalation_id = e.id AND e.stay_id = $1
     RETURNING o.digest_id`,
    [input.stayId],
  );
  const digests = [...new Set(removed.rows.flatMap((r) => (r.digest_id ? [r.digest_id] : [])))];
  if (digests.length > 0)
    await client.query(
      `DELETE FROM notification_digests d WHERE d.id = ANY($1::uuid[]) AND d.status <> 'sent'
         AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.digest_id = d.id)`,
      [digests],
    );
  await client.query(
    `INSERT INTO audit_events (stay_id, seq, at, actor_sub, actor_role, actor_org, action, milestone, details)
     VALUES ($1, $2, $3, NULL, 'system', NULL, 'stay.anonymised', NULL, $4) ON CONFLICT (stay_id, seq) DO NOTHING`,
    [
      input.stayId,
      input.auditSeq,
      input.at,
      JSON.stringify({ retentionDays: input.retentionDays, basis: 'GDPR art. 5(1)(e)' }),
    ],
  );
}

export const createRetentionActivities = (pool: Pool) => ({
  async anonymiseStay(input: AnonymiseInput): Promise<void> {
    await withTransaction(pool, (client) => anonymiseStayRows(client, input));
  },
});

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;

export type RetentionSweepConfig = {
  /** Lists the stay workflows still running (their own timer anonymises them). */
  temporal: Client;
  retentionDays: number;
  accessLogRetentionDays: number;
  idempotencyKeyRetentionDays: number;
};

export type SweepResult = { anonymised: number; accessLogRowsDeleted: number; idempotencyKeysDeleted: number };

/**
 * The nightly retention sweep (workflows/retention): what no stay workflow removes by itself.
 * - Stays whose workflow no longer runs — terminated by an operator, or closed before retention existed — and that
 *   have not changed for the retention period are anonymised as their workflow would have done.
 * - The access log has a retention of its own (Normen: kept and reviewed, then deleted).
 * - Idempotency keys older than their window are deleted.
 */
export const createRetentionSweepActivities = (pool: Pool, config: RetentionSweepConfig) => ({
  async sweepRetention(input: { now: string }): Promise<SweepResult> {
    const running = new Set<string>();
    for await (const wf of config.temporal.workflow.list({
      query: "WorkflowType = 'stayWorkflow' AND ExecutionStatus = 'Running'",
    }))
      if (wf.workflowId.startsWith('stay:')) running.add(wf.workflowId.slice('stay:'.length));
    const candidates = await pool.query<{ id: string; next_seq: number }>(
      `SELECT s.id, COALESCE((SELECT max(a.seq) FROM audit_events a WHERE a.stay_id = s.id), 0) + 1 AS next_seq
         FROM stays s WHERE s.anonymised_at IS NULL AND s.updated_at < $1::timestamptz - make_interval(days => $2)`,
      [input.now, config.retentionDays],
    );
    let anonymised = 0;
    for (const stay of candidates.rows) {
      if (running.has(stay.id)) continue;
      await withTransaction(pool, (client) =>
        anonymiseStayRows(client, {
          stayId: stay.id,
          auditSeq: stay.next_seq,
          at: input.now,
          retentionDays: config.retentionDays,
        }),
      );
      anonymised += 1;
    }
    // the database's clock, not the caller's: the app cannot make the log look older than it is
    const accessLog = await pool.query<{ n: number }>('SELECT purge_access_log($1) AS n', [
      config.accessLogRetentionDays,
    ]);
    const keys = await pool.query(
      'DELETE FROM idempotency_keys WHERE created_at < $1::timestamptz - make_interval(days => $2)',
      [input.now, config.idempotencyKeyRetentionDays],
    );
    return { anonymised, accessLogRowsDeleted: accessLog.rows[0]!.n, idempotencyKeysDeleted: keys.rowCount ?? 0 };
  },
});

export type RetentionSweepActivities = ReturnType<typeof createRetentionSweepActivities>;
