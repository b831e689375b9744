import type { Pool } from 'pg';
import { withTransaction } from '../../config/database';

export const ANONYMISED_REF = 'anonymisert';

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
 * and relatives' involvement, the exit plan's task texts. Idempotent: a retried run finds nothing left to remove and writes its audit entry once.
 */
export const createRetentionActivities = (pool: Pool) => ({
  async anonymiseStay(input: { stayId: string; auditSeq: number; at: string; retentionDays: number }): Promise<void> {
    await withTransaction(pool, async (client) => {
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
      await client.query(
        `UPDATE audit_events SET actor_sub = NULL, details = CASE WHEN jsonb_typeof(details) = 'object' THEN details - 'reason' ELSE details END
         WHERE stay_id = $1`,
        [input.stayId],
      );
      // staff contact data is personal data too: what remains is who had which role, from which organisation
      await client.query(
        `UPDATE stay_contacts SET name = $2, phone = NULL, email = NULL, user_id = NULL, updated_at = now() WHERE stay_id = $1`,
        [input.stayId, ANONYMISED_REF],
      );
      await client.query(
        `UPDATE audit_events SET details = details - 'added' - 'removed' - 'changed'
         WHERE stay_id = $1 AND action LIKE 'contacts.%' AND jsonb_typeof(details) = 'object'`,
        [input.stayId],
      );
      // a meeting's place may be the resident's new home; who planned it is staff data
      await client.query(
        `UPDATE stay_meetings SET place = NULL, video_link = NULL, created_by = NULL WHERE stay_id = $1`,
        [input.stayId],
      );
      await client.query(
        `UPDATE audit_events SET details = details #- '{before,place}' #- '{after,place}' #- '{before,videoLink}' #- '{after,videoLink}'
         WHERE stay_id = $1 AND action LIKE 'meeting.%' AND jsonb_typeof(details) = 'object'`,
        [input.stayId],
      );
      // the resident's own answers (consent, relatives) are about the resident: nothing of them is kept
      await client.query('DELETE FROM stay_consents WHERE stay_id = $1', [input.stayId]);
      await client.query('DELETE FROM stay_relatives WHERE stay_id = $1', [input.stayId]);
      await client.query('UPDATE consent_reminders SET acknowledged_by = NULL WHERE stay_id = $1', [input.stayId]);
      await client.query(
        `UPDATE audit_events SET details = details - 'before' - 'after'
         WHERE stay_id = $1 AND (action LIKE 'consent.%' OR action LIKE 'relatives.%') AND jsonb_typeof(details) = 'object'`,
        [input.stayId],
      );
      // applications keep type, dates and outcome (figures); the name of an `other` one is free text
      await client.query(
        'UPDATE stay_applications SET other_type = NULL, created_by = NULL, idempotency_key = NULL WHERE stay_id = $1',
        [input.stayId],
      );
      await client.query(
        `UPDATE audit_events SET details = details #- '{before,otherType}' #- '{after,otherType}'
         WHERE stay_id = $1 AND action LIKE 'application.%' AND jsonb_typeof(details) = 'object'`,
        [input.stayId],
      );
      // the exit plan's tasks are short free text (a task, a name): in the stay and in its audit trail
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
      const planAudits = await client.query<{
        seq: number;
        details: { changes?: Record<string, { from: unknown; to: unknown }> };
      }>(
        `SELECT seq, details FROM audit_events WHERE stay_id = $1 AND action = 'exit-plan.updated' AND jsonb_typeof(details) = 'object'`,
        [input.stayId],
      );
      for (const a of planAudits.rows) {
        if (!a.details.changes) continue;
        const changes = Object.fromEntries(
          Object.entries(a.details.changes).map(([k, c]) => [k, { from: scrubPart(c?.from), to: scrubPart(c?.to) }]),
        );
        await client.query('UPDATE audit_events SET details = $3 WHERE stay_id = $1 AND seq = $2', [
          input.stayId,
          a.seq,
          JSON.stringify({ ...a.details, changes }),
        ]);
      }
      for (const table of ['escalations', 'deadline_alarms']) {
        await client.query(`UPDATE ${table} SET acknowledged_by = NULL, assigned_to = NULL WHERE stay_id = $1`, [
          input.stayId,
        ]);
      }
      await client.query(
        `DELETE FROM notification_outbox o USING escalations e WHERE o.escalation_id = e.id AND e.stay_id = $1 AND o.status <> 'pending'`,
        [input.stayId],
      );
      await client.query(
        `DELETE FROM notification_outbox o USING notification_events v WHERE o.event_id = v.id AND v.stay_id = $1 AND o.status <> 'pending'`,
        [input.stayId],
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
    });
  },
});

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
