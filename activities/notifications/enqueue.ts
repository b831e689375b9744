import type { PoolClient } from 'pg';

/**
 * Puts the notifications about one escalation into the outbox, inside the caller's transaction (the one that
 * inserted the escalation), so that an escalation is never recorded without its notifications or the other way
 * round. Recipients: the addressed organisation's coordinators; for `second-level` (recipient 'both') the
 * coordinators and leaders of both the institution and the bydel; plus each addressed organisation's webhook.
 * Idempotent: a retried read-model write finds the rows already there (unique per escalation, channel, recipient).
 */
export async function enqueueNotifications(
  client: PoolClient,
  escalation: { stayId: string; milestone: string; kind: string; dueDate: string },
): Promise<void> {
  await client.query({
    name: 'enqueue-escalation-notifications',
    text: `WITH e AS (
       SELECT id, kind, recipient_role, institution_id, bydel_id FROM escalations
       WHERE stay_id = $1 AND milestone = $2 AND kind = $3 AND due_date = $4
     ), orgs AS (
       SELECT e.id, e.kind, e.institution_id AS org_id FROM e WHERE e.recipient_role IN ('institution', 'both')
       UNION ALL
       SELECT e.id, e.kind, e.bydel_id FROM e WHERE e.recipient_role IN ('bydel', 'both')
     )
     INSERT INTO notification_outbox (escalation_id, channel, recipient, org_id, mode)
     SELECT orgs.id, 'email', r.email, r.org_id, r.delivery FROM orgs
       JOIN notification_recipients r ON r.org_id = orgs.org_id AND (r.role = 'coordinator' OR orgs.kind = 'second-level')
     UNION ALL
     SELECT orgs.id, 'webhook', s.org_id, s.org_id, 'immediate' FROM orgs
       JOIN notification_settings s ON s.org_id = orgs.org_id AND s.webhook_url IS NOT NULL
     ON CONFLICT ON CONSTRAINT notification_outbox_once DO NOTHING`,
    values: [escalation.stayId, escalation.milestone, escalation.kind, escalation.dueDate],
  });
}
