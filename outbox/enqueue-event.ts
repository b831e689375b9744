import type { PoolClient } from 'pg';

import { EVENT_KINDS, type EventKind } from '../schemas/notifications';

export { EVENT_KINDS, type EventKind };

export type EventNotification = {
  /** Deterministic: the same event always has the same key, so a retried write enqueues nothing twice. */
  key: string;
  stayId: string;
  kind: EventKind;
  institutionId: string;
  bydelId: string;
  /** Dates, the milestone, the bydel moved to; never places or names (the mail reads those when it is sent). */
  details: Record<string, unknown>;
  /** Organisations whose coordinators are e-mailed. */
  coordinatorsOf: string[];
  /** Organisations whose webhook is called. */
  webhooksOf: string[];
  /** People e-mailed directly (the stay's contacts), with the organisation they belong to. */
  emails: { email: string; orgId: string }[];
};

/**
 * Puts the notifications about one event into the outbox, inside the caller's transaction (the one that records
 * the event), so neither exists without the other. Idempotent: the event's key is unique, and a retry that finds
 * it adds nothing. Event notifications go out at once, also to coordinators who get reminders as a daily digest:
 * they are hand-overs someone has to act on now.
 */
export async function enqueueEventNotification(client: PoolClient, n: EventNotification): Promise<boolean> {
  const inserted = await client.query<{ id: string }>({
    name: 'insert-notification-event',
    text: `INSERT INTO notification_events (event_key, stay_id, kind, institution_id, bydel_id, details)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
    values: [n.key, n.stayId, n.kind, n.institutionId, n.bydelId, JSON.stringify(n.details)],
  });
  const eventId = inserted.rows[0]?.id;
  if (!eventId) return false;
  await client.query({
    name: 'enqueue-event-notifications',
    text: `INSERT INTO notification_outbox (event_id, channel, recipient, org_id, mode)
     SELECT $1::uuid, 'email', r.email, r.org_id, 'immediate' FROM notification_recipients r
      WHERE r.org_id = ANY($2::text[]) AND r.role = 'coordinator'
     UNION ALL
     SELECT $1::uuid, 'webhook', s.org_id, s.org_id, 'immediate' FROM notification_settings s
      WHERE s.org_id = ANY($3::text[]) AND s.webhook_url IS NOT NULL
     UNION ALL
     SELECT $1::uuid, 'email', p.email, p.org_id, 'immediate' FROM jsonb_to_recordset($4::jsonb) AS p(email text, org_id text)
     ON CONFLICT ON CONSTRAINT notification_outbox_event_once DO NOTHING`,
    values: [
      eventId,
      n.coordinatorsOf,
      n.webhooksOf,
      JSON.stringify(n.emails.map((e) => ({ email: e.email, org_id: e.orgId }))),
    ],
  });
  return true;
}
