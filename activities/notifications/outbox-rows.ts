import type { Pool } from 'pg';
import { alarmSettledSql } from '../../outbox/alarm-state';
import type { EventItem } from './event-templates';
import type { NotificationItem } from './templates';

type Delivery = { channel: 'email' | 'webhook'; recipient: string; orgId: string; status: string; inScope: boolean };
/** An outbox row about an escalation; `settled`: its deadline was settled since it was queued (never sent then). */
export type EscalationRow = NotificationItem & Delivery & { settled: boolean };
/** An outbox row about an event (migration 0034) rather than an escalation. */
export type EventRow = EventItem & Delivery;

/**
 * `in_scope`: after a bydel change handed the stay over, what was queued for the old bydel is cancelled, not sent (it
 * no longer has access to the stay). An escalation goes to the stay's institution or bydel, so it is in scope while
 * its organisation still is one of them; an event may also go to the receiving bydel or a contact's organisation, so
 * only what was queued for the bydel the event was about, now no longer the stay's, is out of scope.
 */
export const ITEM_SQL = `SELECT o.id, o.escalation_id, o.event_id, o.channel, o.recipient, o.org_id, o.status,
    COALESCE(e.kind, v.kind) AS kind, e.milestone, COALESCE(e.stay_id, v.stay_id) AS stay_id, e.due_date,
    COALESCE(e.institution_id, v.institution_id) AS institution_id, COALESCE(e.bydel_id, v.bydel_id) AS bydel_id,
    e.alarm_id, v.details,
    CASE WHEN o.escalation_id IS NOT NULL THEN o.org_id IN (s.institution_id, s.bydel_id)
         ELSE NOT (o.org_id = v.bydel_id AND s.bydel_id <> v.bydel_id AND o.org_id <> s.institution_id) END AS in_scope,
    o.escalation_id IS NOT NULL AND ${alarmSettledSql('e', 'm', 's')} AS settled
  FROM notification_outbox o
  LEFT JOIN escalations e ON e.id = o.escalation_id
  LEFT JOIN notification_events v ON v.id = o.event_id
  JOIN stays s ON s.id = COALESCE(e.stay_id, v.stay_id)
  LEFT JOIN stay_milestones m ON m.stay_id = e.stay_id AND m.key = e.milestone`;

/** How an outbox row goes out, the same for an escalation and an event (`Delivery`). */
const toDelivery = (r: Record<string, unknown>): Delivery => ({
  channel: r.channel as Delivery['channel'],
  recipient: r.recipient as string,
  orgId: r.org_id as string,
  status: r.status as string,
  inScope: r.in_scope as boolean,
});

export const toEscalationRow = (r: Record<string, unknown>): EscalationRow => ({
  ...toDelivery(r),
  deliveryId: r.id as string,
  escalationId: r.escalation_id as string,
  kind: r.kind as EscalationRow['kind'],
  milestone: r.milestone as string,
  stayId: r.stay_id as string,
  dueDate: String(r.due_date),
  institutionId: r.institution_id as string,
  bydelId: r.bydel_id as string,
  alarmId: (r.alarm_id as string | null) ?? (r.escalation_id as string),
  settled: r.settled as boolean,
});

export const toEventRow = (r: Record<string, unknown>): EventRow => ({
  ...toDelivery(r),
  deliveryId: r.id as string,
  eventId: r.event_id as string,
  kind: r.kind as EventRow['kind'],
  stayId: r.stay_id as string,
  institutionId: r.institution_id as string,
  bydelId: r.bydel_id as string,
  details: (r.details as Record<string, unknown>) ?? {},
});

/** Why a queued notification was cancelled instead of sent. */
export const CANCELLED = {
  outOfScope: 'cancelled: the stay was handed over to another bydel before delivery',
  settled: 'cancelled: the deadline was settled before delivery (done, no longer applies, moved, or the stay ended)',
} as const;

/**
 * Rows that must not go out: queued for an organisation that no longer has the stay, or about a deadline settled
 * since (it would be a false alarm). Cancelled, never sent.
 */
export async function cancelDeliveries(
  pool: Pool,
  deliveryIds: string[],
  reason: (typeof CANCELLED)[keyof typeof CANCELLED],
): Promise<void> {
  if (deliveryIds.length === 0) return;
  await pool.query(
    `UPDATE notification_outbox SET status = 'cancelled', digest_id = NULL, last_error = $2 WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
    [deliveryIds, reason],
  );
}
