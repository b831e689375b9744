import type { Pool, PoolClient } from 'pg';
import type { EscalationRecord, ReadModelSync } from '../../workflows/stay/types';
import { enqueueNotifications } from '../notifications/enqueue';
import { enqueueStayEventNotification } from '../notifications/stay-event-notifications';
import { withTransaction } from '../../config/database';

const LEVEL_RANK: Record<EscalationRecord['kind'], number> = { reminder: 1, overdue: 2, 'second-level': 3 };

/**
 * One alarm per deadline (stay, milestone, due date): the first step opens it, a higher step raises its level and
 * re-opens it (an acknowledgement was of the lower level); a lower or repeated step leaves it as it is.
 */
async function raiseAlarm(client: PoolClient, stay: ReadModelSync['stay'], e: EscalationRecord): Promise<void> {
  const alarm = await client.query<{ id: string }>(
    `INSERT INTO deadline_alarms (id, stay_id, milestone, due_date, level, level_rank, escalation_id, recipient_role,
       institution_id, bydel_id, first_raised_at, level_raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8, $9, $10, $10)
     ON CONFLICT ON CONSTRAINT deadline_alarms_once DO UPDATE SET level = EXCLUDED.level, level_rank = EXCLUDED.level_rank,
       escalation_id = EXCLUDED.escalation_id, recipient_role = EXCLUDED.recipient_role,
       institution_id = EXCLUDED.institution_id, bydel_id = EXCLUDED.bydel_id, level_raised_at = EXCLUDED.level_raised_at,
       acknowledged_at = NULL, acknowledged_by = NULL, acknowledged_level = NULL
     WHERE deadline_alarms.level_rank < EXCLUDED.level_rank
     RETURNING id`,
    [
      e.id,
      stay.id,
      e.milestone,
      e.dueDate,
      e.kind,
      LEVEL_RANK[e.kind],
      e.recipient,
      stay.institutionId,
      stay.bydelId,
      e.createdAt,
    ],
  );
  await client.query(
    `UPDATE escalations SET alarm_id = COALESCE($2::uuid,
       (SELECT id FROM deadline_alarms WHERE stay_id = $3 AND milestone = $4 AND due_date = $5)) WHERE id = $1`,
    [e.id, alarm.rows[0]?.id ?? null, stay.id, e.milestone, e.dueDate],
  );
}

/**
 * Writes one stay's state to the read model. Temporal runs an activity at least once, so every part is
 * idempotent: the stay and its milestones only move forward (revision guard — a retried or late write never
 * overwrites newer state), audit entries are keyed by (stay, seq), escalations by (stay, milestone, kind, due date),
 * alarms by (stay, milestone, due date), the notifications about an audit entry by the entry.
 */
export const createReadModelActivities = (pool: Pool) => ({
  async syncStayReadModel(sync: ReadModelSync): Promise<void> {
    const { stay } = sync;
    await withTransaction(pool, async (client) => {
      const upserted = await client.query(
        `INSERT INTO stays (id, resident_ref, institution_id, bydel_id, admitted_at, status, convener, revision, created_at, updated_at,
           rules_version, previous_stay_id, transition, recorded_by, interpretations)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, bydel_id = EXCLUDED.bydel_id,
           status = EXCLUDED.status, convener = EXCLUDED.convener, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at,
           rules_version = EXCLUDED.rules_version, transition = EXCLUDED.transition, recorded_by = EXCLUDED.recorded_by,
           interpretations = COALESCE(EXCLUDED.interpretations, stays.interpretations)
         WHERE stays.revision < EXCLUDED.revision`,
        [
          stay.id,
          stay.residentRef,
          stay.institutionId,
          stay.bydelId,
          stay.admittedAt,
          stay.status,
          stay.convener,
          stay.revision,
          stay.createdAt,
          stay.updatedAt,
          stay.rulesVersion ?? 1,
          stay.previousStayId ?? null,
          stay.transition ? JSON.stringify(stay.transition) : null,
          stay.recordedBy ? JSON.stringify(stay.recordedBy) : null,
          stay.interpretations ? JSON.stringify(stay.interpretations) : null,
        ],
      );
      if (upserted.rowCount === 1) {
        await client.query('DELETE FROM stay_milestones WHERE stay_id = $1', [stay.id]);
        if (sync.milestones.length > 0) {
          await client.query(
            `INSERT INTO stay_milestones (stay_id, key, due_date, original_due_date, done_at, applicable, recurring, escalates, responsible,
               details, position, deviation, closed_by, pending_deviation, silenced_by)
             SELECT $1, m.key, m.due_date, m.original_due_date, m.done_at, m.applicable, m.recurring, m.escalates, m.responsible,
               m.details, m.position, m.deviation, m.closed_by, m.pending_deviation, m.silenced_by
             FROM jsonb_to_recordset($2::jsonb) AS m(key text, due_date date, original_due_date date, done_at date, applicable boolean,
               recurring boolean, escalates boolean, responsible text, details jsonb, position integer, deviation jsonb, closed_by text,
               pending_deviation jsonb, silenced_by text)`,
            [
              stay.id,
              JSON.stringify(
                sync.milestones.map((m) => ({
                  key: m.key,
                  due_date: m.dueDate,
                  original_due_date: m.originalDueDate,
                  done_at: m.doneAt,
                  applicable: m.applicable,
                  recurring: m.recurring,
                  escalates: m.escalates,
                  responsible: m.responsible,
                  details: m.details,
                  position: m.position,
                  deviation: m.deviation ?? null,
                  closed_by: m.closedBy ?? null,
                  pending_deviation: m.pendingDeviation ?? null,
                  silenced_by: m.silencedBy ?? null,
                })),
              ),
            ],
          );
        }
        // After a change of bydel, what is still open moves to the new bydel's worklist; what is settled stays where it was.
        for (const table of ['escalations', 'deadline_alarms']) {
          await client.query(
            `UPDATE ${table} e SET bydel_id = $2 FROM stay_milestones m
             WHERE e.stay_id = $1 AND e.bydel_id <> $2 AND m.stay_id = e.stay_id AND m.key = e.milestone
               AND m.done_at IS NULL AND m.applicable`,
            [stay.id, stay.bydelId],
          );
        }
      }
      for (const a of sync.audit) {
        await client.query(
          `INSERT INTO audit_events (stay_id, seq, at, actor_sub, actor_role, actor_org, action, milestone, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (stay_id, seq) DO NOTHING`,
          [
            stay.id,
            a.seq,
            a.at,
            a.actor.sub,
            a.actor.role,
            a.actor.org,
            a.action,
            a.milestone,
            a.details === null ? null : JSON.stringify(a.details),
          ],
        );
        await enqueueStayEventNotification(client, stay, a);
      }
      if (upserted.rowCount === 1 && !stay.recordedBy) {
        // a write scheduled by a worker before the workflow sent recordedBy (migration 0009): replay the audit trail
        await client.query('UPDATE stays SET recorded_by = stay_recorded_by_from_audit(id) WHERE id = $1', [stay.id]);
      }
      for (const e of sync.escalations) {
        // institution/bydel are the stay's at the moment the escalation is raised: that is who must act on it
        const inserted = await client.query(
          `INSERT INTO escalations (id, stay_id, milestone, kind, due_date, recipient_role, institution_id, bydel_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT ON CONSTRAINT escalations_once DO NOTHING`,
          [e.id, stay.id, e.milestone, e.kind, e.dueDate, e.recipient, stay.institutionId, stay.bydelId, e.createdAt],
        );
        if (inserted.rowCount === 1) await raiseAlarm(client, stay, e);
        await enqueueNotifications(client, {
          stayId: stay.id,
          milestone: e.milestone,
          kind: e.kind,
          dueDate: e.dueDate,
        });
      }
    });
  },
});

export type ReadModelActivities = ReturnType<typeof createReadModelActivities>;
