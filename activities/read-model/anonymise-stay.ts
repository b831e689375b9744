import type { Client } from '@temporalio/client';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../config/database';

export const ANONYMISED_REF = 'anonymisert';

type AnonymiseInput = { stayId: string; auditSeq: number; at: string; retentionDays: number };

type Scrubbable = { tasks?: unknown; steps?: unknown } | null | undefined;

/** A part of the exit plan without its free text: who, by when and whether done remain, not what or whose name. */
function scrubPart(part: unknown): unknown {
  if (!part || typeof part !== 'object') return part;
  const out: Record<string, unknown> = { ...(part as Record<string, unknown>) };
  for (const list of ['tasks', 'steps'] as const) {
    const tasks = (part as Scrubbable)?.[list];
    if (Array.isArray(tasks))
      out[list] = tasks.map((t: Record<string, unknown>) => ({
        owner: t.owner,
        ...(t.dueOn ? { dueOn: t.dueOn } : {}),
        ...(t.done !== undefined ? { done: t.done } : {}),
      }));
  }
  return out;
}

const scrubParts = (parts: unknown) =>
  parts && typeof parts === 'object'
    ? Object.fromEntries(Object.entries(parts as Record<string, unknown>).map(([k, v]) => [k, scrubPart(v)]))
    : parts;

/**
 * Removes a closed stay's personal data from PostgreSQL after its retention period, keeping what makes anonymous
 * figures (dates, statuses, milestone structure): the resident reference, free-text reasons, the staff who acted,
 * the e-mail addresses notified, the stay's contacts (names, phones, e-mails), meeting places, the resident's consent
 * and relatives' involvement, the exit plan's task texts, and every notification still queued about it (a digest left
 * without items goes too). The audit trail is insert-only for the app (migration 0027): its scrubbing runs as the
 * owner's functions, which act only on an anonymised stay. Idempotent: a retried run finds nothing left to remove and
 * writes its audit entry once.
 */
async function anonymiseStayRows(client: PoolClient, input: AnonymiseInput): Promise<void> {
  await client.query(
    `UPDATE stays SET resident_ref = $2, anonymised_at = COALESCE(anonymised_at, $3::timestamptz) WHERE id = $1`,
    [input.stayId, ANONYMISED_REF, input.at],
  );
  await client.query(
    // the reason is free text; who of each party confirmed a deviation names staff
    `UPDATE stay_milestones SET
       deviation = CASE WHEN jsonb_typeof(deviation) = 'object' THEN deviation - 'reason' - 'confirmedBy' - 'statedOnBehalfOfBoth' ELSE deviation END,
       pending_deviation = NULL
     WHERE stay_id = $1 AND (jsonb_typeof(deviation) = 'object' OR pending_deviation IS NOT NULL)`,
    [input.stayId],
  );
  // staff contact data is personal data too: what remains is who had which role, from which organisation
  await client.query(
    `UPDATE stay_contacts SET name = $2, phone = NULL, email = NULL, user_id = NULL, updated_at = now() WHERE stay_id = $1`,
    [input.stayId, ANONYMISED_REF],
  );
  // who followed up a milestone is staff data
  await client.query('DELETE FROM stay_milestone_assignees WHERE stay_id = $1', [input.stayId]);
  // a meeting's place may be the resident's new home; who planned it is staff data
  await client.query(`UPDATE stay_meetings SET place = NULL, video_link = NULL, created_by = NULL WHERE stay_id = $1`, [
    input.stayId,
  ]);
  // the resident's own answers (consent, relatives) are about the resident: nothing of them is kept
  await client.query('DELETE FROM stay_consents WHERE stay_id = $1', [input.stayId]);
  await client.query('DELETE FROM stay_relatives WHERE stay_id = $1', [input.stayId]);
  await client.query('UPDATE consent_reminders SET acknowledged_by = NULL WHERE stay_id = $1', [input.stayId]);
  // applications keep type, dates and outcome (figures); the name of an `other` one is free text
  await client.query(
    'UPDATE stay_applications SET other_type = NULL, created_by = NULL, idempotency_key = NULL WHERE stay_id = $1',
    [input.stayId],
  );
  // the exit plan's tasks are short free text (a task, a name)
  const stay = await client.query<{ transition: { exitPlan?: { parts?: unknown } | null } | null }>(
    'SELECT transition FROM stays WHERE id = $1 FOR UPDATE',
    [input.stayId],
  );
  const transition = stay.rows[0]?.transition;
  if (transition?.exitPlan?.parts)
    await client.query('UPDATE stays SET transition = $2 WHERE id = $1', [
      input.stayId,
      JSON.stringify({
        ...transition,
        exitPlan: { ...transition.exitPlan, parts: scrubParts(transition.exitPlan.parts) },
      }),
    ]);
  // the audit trail's share (staff, reasons, contacts, places, answers, task texts) as the owner (migrations 0027, 0028)
  await client.query('SELECT anonymise_audit_trail($1)', [input.stayId]);
  for (const table of ['escalations', 'deadline_alarms']) {
    await client.query(`UPDATE ${table} SET acknowledged_by = NULL, assigned_to = NULL WHERE stay_id = $1`, [
      input.stayId,
    ]);
  }
  const removed = await client.query<{ digest_id: string | null }>(
    `DELETE FROM notification_outbox o
      WHERE o.escalation_id IN (SELECT id FROM escalations WHERE stay_id = $1)
         OR o.event_id IN (SELECT id FROM notification_events WHERE stay_id = $1)
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
