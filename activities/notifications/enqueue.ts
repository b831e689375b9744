import type { PoolClient } from 'pg';
import { personEmailSql, personOrgSql } from '../../outbox/people';

/**
 * Puts the notifications about one escalation into the outbox, inside the caller's transaction (the one that
 * inserted the escalation), so that an escalation is never recorded without its notifications or the other way
 * round. Idempotent: a retried read-model write finds the rows already there (unique per escalation, channel,
 * recipient). An alarm helps only when it reaches a named person, so the recipients are:
 * - the addressed organisation's coordinators (for `second-level`, recipient 'both': the coordinators and leaders of
 *   both the institution and the bydel), in the delivery each chose, and each addressed organisation's webhook;
 * - the people who follow the deadline up — whoever took the milestone ("Ta saken" on the stay) or its alarm in the
 *   inbox — at once, when their login or their contact entry on the stay gives an e-mail address and they work for
 *   the stay's institution or bydel;
 * - when nobody reachable follows it up: the stay's own contacts at each addressed organisation (the institution's
 *   primary contacts, the bydel's contact persons, §2), at once.
 * One e-mail per address, whatever the case of its letters: a coordinator who also took the deadline gets it once, in
 * the delivery they chose as coordinator.
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
     ), takers AS (
       SELECT assigned_to AS sub FROM stay_milestone_assignees WHERE stay_id = $1 AND milestone = $2
       UNION
       SELECT assigned_to FROM deadline_alarms
        WHERE stay_id = $1 AND milestone = $2 AND due_date = $4 AND assigned_to IS NOT NULL
     ), followers AS (
       SELECT e.id, t.email, t.org_id FROM e,
         LATERAL (SELECT ${personEmailSql('takers.sub', '$1::uuid')} AS email,
                         ${personOrgSql('takers.sub', '$1::uuid')} AS org_id FROM takers) t
        WHERE t.email IS NOT NULL AND t.org_id IN (e.institution_id, e.bydel_id)
     ), emails AS (
       SELECT orgs.id, r.email, r.org_id, r.delivery AS mode, 1 AS preference FROM orgs
         JOIN notification_recipients r ON r.org_id = orgs.org_id AND (r.role = 'coordinator' OR orgs.kind = 'second-level')
       UNION ALL
       SELECT id, email, org_id, 'immediate', 2 FROM followers
       UNION ALL
       SELECT orgs.id, c.email, c.organisation_id, 'immediate', 3 FROM orgs
         JOIN stay_contacts c ON c.stay_id = $1 AND c.organisation_id = orgs.org_id
          AND c.role IN ('primary-contact', 'bydel-contact') AND c.email IS NOT NULL
        WHERE NOT EXISTS (SELECT 1 FROM followers)
     )
     INSERT INTO notification_outbox (escalation_id, channel, recipient, org_id, mode)
     SELECT id, 'email', email, org_id, mode FROM (
       SELECT DISTINCT ON (id, lower(email)) id, email, org_id, mode FROM emails ORDER BY id, lower(email), preference
     ) one_per_address
     UNION ALL
     SELECT orgs.id, 'webhook', s.org_id, s.org_id, 'immediate' FROM orgs
       JOIN notification_settings s ON s.org_id = orgs.org_id AND s.webhook_url IS NOT NULL
     ON CONFLICT ON CONSTRAINT notification_outbox_once DO NOTHING`,
    values: [escalation.stayId, escalation.milestone, escalation.kind, escalation.dueDate],
  });
}
