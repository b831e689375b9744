import type { Pool, PoolClient } from 'pg';
import type { EscalationRecord, ReadModelSync } from '../../workflows/stay/types';
import { enqueueNotifications } from '../notifications/enqueue';
import { enqueueStayEventNotification, notifiesOfHandOver } from '../notifications/stay-event-notifications';
import { withTransaction } from '../../config/database';

const LEVEL_RANK: Record<EscalationRecord['kind'], number> = { reminder: 1, overdue: 2, 'second-level': 3 };

/**
 * One alarm per deadline (stay, milestone, due date): the first step opens it, a higher step raises its level and
 * re-opens it (an acknowledgement was of the lower level); a lower or repeated step leaves it as it is.
 */
async function raiseAlarm(client: PoolClient, stay: ReadModelSync['stay'], e: EscalationRecord): Promise<void> {
  const alarm = await client.query<{ id: string }>({
    name: 'raise-alarm',
    text: `INSERT INTO deadline_alarms (id, stay_id, milestone, due_date, level, level_rank, escalation_id, recipient_role,
       institution_id, bydel_id, first_raised_at, level_raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8, $9, $10, $10)
     ON CONFLICT ON CONSTRAINT deadline_alarms_once DO UPDATE SET level = EXCLUDED.level, level_rank = EXCLUDED.level_rank,
       escalation_id = EXCLUDED.escalation_id, recipient_role = EXCLUDED.recipient_role,
       institution_id = EXCLUDED.institution_id, bydel_id = EXCLUDED.bydel_id, level_raised_at = EXCLUDED.level_raised_at,
       acknowledged_at = NULL, acknowledged_by = NULL, acknowledged_level = NULL
     WHERE deadline_alarms.level_rank < EXCLUDED.level_rank
     RETURNING id`,
    values: [
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
  });
  await client.query({
    name: 'link-alarm',
    text: `UPDATE escalations SET alarm_id = COALESCE($2::uuid,
       (SELECT id FROM deadline_alarms WHERE stay_id = $3 AND milestone = $4 AND due_date = $5)) WHERE id = $1`,
    values: [e.id, alarm.rows[0]?.id ?? null, stay.id, e.milestone, e.dueDate],
  });
}

/**
 * The stay, its milestones (only the rows that changed; the ones gone removed), what moves to a new bydel and the
 * audit entries, in ONE statement: a command costs one round trip to PostgreSQL, atomic without BEGIN/COMMIT. The
 * sub-statements see the table as it was before the statement, so the bydel move reads the milestones from the input.
 * Writes nothing of the stay when it is not newer than what is stored (revision guard); audit entries always.
 */
const WRITE_STAY = `
WITH stay AS (
  INSERT INTO stays (id, resident_ref, institution_id, bydel_id, admitted_at, status, convener, revision, created_at,
    updated_at, rules_version, previous_stay_id, transition, recorded_by, interpretations)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $17)
  ON CONFLICT (id) DO UPDATE SET institution_id = EXCLUDED.institution_id, bydel_id = EXCLUDED.bydel_id,
    status = EXCLUDED.status, convener = EXCLUDED.convener, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at,
    rules_version = EXCLUDED.rules_version, transition = EXCLUDED.transition, recorded_by = EXCLUDED.recorded_by,
    interpretations = COALESCE(EXCLUDED.interpretations, stays.interpretations)
  WHERE stays.revision < EXCLUDED.revision
  RETURNING id, bydel_id
), milestone AS (
  SELECT * FROM jsonb_to_recordset($15::jsonb) AS m(key text, due_date date, original_due_date date, done_at date,
    applicable boolean, recurring boolean, escalates boolean, responsible text, details jsonb, position integer,
    deviation jsonb, closed_by text, pending_deviation jsonb, silenced_by text)
), changed AS (
  INSERT INTO stay_milestones AS t (stay_id, key, due_date, original_due_date, done_at, applicable, recurring, escalates,
    responsible, details, position, deviation, closed_by, pending_deviation, silenced_by)
  SELECT stay.id, m.key, m.due_date, m.original_due_date, m.done_at, m.applicable, m.recurring, m.escalates,
    m.responsible, m.details, m.position, m.deviation, m.closed_by, m.pending_deviation, m.silenced_by
  FROM stay, milestone m
  ON CONFLICT (stay_id, key) DO UPDATE SET due_date = EXCLUDED.due_date, original_due_date = EXCLUDED.original_due_date,
    done_at = EXCLUDED.done_at, applicable = EXCLUDED.applicable, recurring = EXCLUDED.recurring,
    escalates = EXCLUDED.escalates, responsible = EXCLUDED.responsible, details = EXCLUDED.details,
    position = EXCLUDED.position, deviation = EXCLUDED.deviation, closed_by = EXCLUDED.closed_by,
    pending_deviation = EXCLUDED.pending_deviation, silenced_by = EXCLUDED.silenced_by
  WHERE (t.due_date, t.original_due_date, t.done_at, t.applicable, t.recurring, t.escalates, t.responsible, t.details,
      t.position, t.deviation, t.closed_by, t.pending_deviation, t.silenced_by)
    IS DISTINCT FROM (EXCLUDED.due_date, EXCLUDED.original_due_date, EXCLUDED.done_at, EXCLUDED.applicable,
      EXCLUDED.recurring, EXCLUDED.escalates, EXCLUDED.responsible, EXCLUDED.details, EXCLUDED.position,
      EXCLUDED.deviation, EXCLUDED.closed_by, EXCLUDED.pending_deviation, EXCLUDED.silenced_by)
), gone AS (
  DELETE FROM stay_milestones t USING stay
  WHERE t.stay_id = stay.id AND NOT EXISTS (SELECT 1 FROM milestone m WHERE m.key = t.key)
), moved_escalations AS (
  -- after a change of bydel, what is still open moves to the new bydel's worklist; what is settled stays where it was
  UPDATE escalations e SET bydel_id = stay.bydel_id FROM stay, milestone m
  WHERE e.stay_id = stay.id AND e.bydel_id <> stay.bydel_id AND m.key = e.milestone AND m.done_at IS NULL AND m.applicable
), moved_alarms AS (
  UPDATE deadline_alarms e SET bydel_id = stay.bydel_id FROM stay, milestone m
  WHERE e.stay_id = stay.id AND e.bydel_id <> stay.bydel_id AND m.key = e.milestone AND m.done_at IS NULL AND m.applicable
), audit AS (
  INSERT INTO audit_events (stay_id, seq, at, actor_sub, actor_role, actor_org, action, milestone, details)
  SELECT $1, a.seq, a.at, a.actor_sub, a.actor_role, a.actor_org, a.action, a.milestone, a.details
  FROM jsonb_to_recordset($16::jsonb) AS a(seq integer, at timestamptz, actor_sub text, actor_role text, actor_org text,
    action text, milestone text, details jsonb)
  ON CONFLICT (stay_id, seq) DO NOTHING
)
SELECT count(*)::int AS upserted FROM stay`;

function writeStay(db: Pool | PoolClient, sync: ReadModelSync) {
  const { stay } = sync;
  // A named statement: each connection plans it once (planning this statement cost PostgreSQL as much as running it).
  return db.query<{ upserted: number }>({
    name: 'write-stay',
    text: WRITE_STAY,
    values: [
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
      JSON.stringify(
        sync.audit.map((a) => ({
          seq: a.seq,
          at: a.at,
          actor_sub: a.actor.sub,
          actor_role: a.actor.role,
          actor_org: a.actor.org,
          action: a.action,
          milestone: a.milestone,
          details: a.details,
        })),
      ),
      stay.interpretations ? JSON.stringify(stay.interpretations) : null,
    ],
  });
}

/**
 * Writes one stay's state to the read model. Temporal runs an activity at least once, so every part is
 * idempotent: the stay and its milestones only move forward (revision guard — a retried or late write never
 * overwrites newer state), audit entries are keyed by (stay, seq), escalations by (stay, milestone, kind, due date),
 * alarms by (stay, milestone, due date), the notifications about an audit entry by the entry. A command that raises no
 * escalation and hands nothing over is one statement; escalations (with their alarms and notifications) and
 * hand-over notifications share a transaction with it.
 */
export const createReadModelActivities = (pool: Pool) => ({
  async syncStayReadModel(sync: ReadModelSync): Promise<void> {
    const { stay } = sync;
    if (sync.escalations.length === 0 && stay.recordedBy && !sync.audit.some((a) => notifiesOfHandOver(stay, a))) {
      await writeStay(pool, sync);
      return;
    }
    await withTransaction(pool, async (client) => {
      const { rows } = await writeStay(client, sync);
      if (rows[0]!.upserted === 1 && !stay.recordedBy) {
        // a write scheduled by a worker before the workflow sent recordedBy (migration 0009): replay the audit trail
        await client.query('UPDATE stays SET recorded_by = stay_recorded_by_from_audit(id) WHERE id = $1', [stay.id]);
      }
      for (const a of sync.audit) await enqueueStayEventNotification(client, stay, a);
      for (const e of sync.escalations) {
        // institution/bydel are the stay's at the moment the escalation is raised: that is who must act on it
        const inserted = await client.query({
          name: 'insert-escalation',
          text: `INSERT INTO escalations (id, stay_id, milestone, kind, due_date, recipient_role, institution_id, bydel_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT ON CONSTRAINT escalations_once DO NOTHING`,
          values: [
            e.id,
            stay.id,
            e.milestone,
            e.kind,
            e.dueDate,
            e.recipient,
            stay.institutionId,
            stay.bydelId,
            e.createdAt,
          ],
        });
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
