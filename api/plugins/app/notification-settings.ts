import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { withTransaction } from '../../../config/database';
import type { SecretBox } from '../../../config/secret-box';
import { PRODUCTION_WEBHOOKS, type WebhookPolicy, webhookUrlRefusal } from '../../../config/webhook-target';
import type {
  Delivery,
  DeliveryFilters,
  NotificationSettings,
  NotificationSettingsInput,
  UnreachedOrganisation,
} from '../../../schemas/notifications';
import type { Page } from '../../../schemas/paging';
import { alarmSettledSql } from '../../../outbox/alarm-state';
import { HttpProblem } from '../../problem';

const toEntry = (r: Record<string, unknown>): Delivery => ({
  id: r.id as string,
  escalationId: (r.escalation_id as string | null) ?? null,
  eventId: (r.event_id as string | null) ?? null,
  forecastDigestId: (r.forecast_digest_id as string | null) ?? null,
  stayId: (r.stay_id as string | null) ?? null,
  milestone: r.milestone as string,
  kind: r.kind as Delivery['kind'],
  dueDate: String(r.due_date),
  channel: r.channel as Delivery['channel'],
  recipient: r.recipient as string,
  orgId: r.org_id as string,
  mode: r.mode as Delivery['mode'],
  status: r.status as Delivery['status'],
  attempts: r.attempts as number,
  lastError: (r.last_error as string | null) ?? null,
  createdAt: (r.created_at as Date).toISOString(),
  sentAt: r.sent_at ? (r.sent_at as Date).toISOString() : null,
});

// A weekly forecast digest is about no one stay: its kind and milestone say so, its date is the day it was made.
const ENTRY_SQL = `SELECT o.*, COALESCE(e.stay_id, v.stay_id) AS stay_id,
    COALESCE(e.milestone, v.details->>'milestone', v.kind, 'forecast-digest') AS milestone,
    COALESCE(e.kind, v.kind, 'forecast-digest') AS kind,
    COALESCE(e.due_date::text, v.details->>'date', v.details->>'doneAt', left(v.details->>'plannedAt', 10),
      (v.created_at AT TIME ZONE 'Europe/Oslo')::date::text, f.as_of::text) AS due_date
  FROM notification_outbox o
  LEFT JOIN escalations e ON e.id = o.escalation_id
  LEFT JOIN notification_events v ON v.id = o.event_id
  LEFT JOIN forecast_digests f ON f.id = o.forecast_digest_id`;

/** Organisations' notification settings (admin-managed) and the outbox as admins see it. */
export function createNotificationSettings(
  pool: Pool,
  secrets?: SecretBox,
  webhooks: WebhookPolicy = PRODUCTION_WEBHOOKS,
) {
  async function get(orgId: string): Promise<NotificationSettings> {
    const [settings, recipients] = await Promise.all([
      pool.query('SELECT webhook_url, updated_at, updated_by FROM notification_settings WHERE org_id = $1', [orgId]),
      pool.query(
        `SELECT email, role, delivery, to_char(digest_time, 'HH24:MI') AS digest_time FROM notification_recipients WHERE org_id = $1 ORDER BY role, email`,
        [orgId],
      ),
    ]);
    const s = settings.rows[0];
    return {
      orgId,
      recipients: recipients.rows.map((r) => ({
        email: r.email,
        role: r.role,
        delivery: r.delivery,
        digestTime: r.digest_time,
      })),
      webhook: s?.webhook_url ? { url: s.webhook_url, hasSecret: true } : null,
      updatedAt: s ? (s.updated_at as Date).toISOString() : null,
      updatedBy: s?.updated_by ?? null,
    };
  }

  return {
    get,

    /** Replaces the organisation's settings as a whole, in one transaction. */
    async put(orgId: string, input: NotificationSettingsInput, by: string): Promise<NotificationSettings> {
      const emails = input.recipients.map((r) => r.email.toLowerCase());
      if (new Set(emails).size !== emails.length)
        throw new HttpProblem(422, 'Unprocessable Content', 'Each e-mail address can be a recipient once.', {
          code: 'duplicate-recipient',
          errors: [{ path: 'body.recipients', message: 'each e-mail address once' }],
        });
      const refusal = input.webhook && (await webhookUrlRefusal(input.webhook.url, webhooks));
      if (refusal)
        throw new HttpProblem(
          422,
          'Unprocessable Content',
          `The webhook URL is refused: ${refusal}. Give the https address of the receiving system on the internet.`,
          { code: 'webhook-url-refused', errors: [{ path: 'body.webhook.url', message: refusal }] },
        );
      await withTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO notification_settings (org_id, webhook_url, webhook_secret, updated_at, updated_by) VALUES ($1, $2, $3, now(), $4)
           ON CONFLICT (org_id) DO UPDATE SET webhook_url = EXCLUDED.webhook_url, webhook_secret = EXCLUDED.webhook_secret,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
          [
            orgId,
            input.webhook?.url ?? null,
            input.webhook ? (secrets?.seal(input.webhook.secret) ?? input.webhook.secret) : null,
            by,
          ],
        );
        await client.query('DELETE FROM notification_recipients WHERE org_id = $1', [orgId]);
        if (input.recipients.length > 0) {
          await client.query(
            `INSERT INTO notification_recipients (org_id, email, role, delivery, digest_time)
             SELECT $1, r.email, r.role, r.delivery, r.digest_time::time FROM jsonb_to_recordset($2::jsonb) AS r(email text, role text, delivery text, digest_time text)`,
            [
              orgId,
              JSON.stringify(
                input.recipients.map((r) => ({
                  email: r.email,
                  role: r.role,
                  delivery: r.delivery,
                  digest_time: r.digestTime,
                })),
              ),
            ],
          );
        }
      });
      return get(orgId);
    },

    async listOutbox(f: DeliveryFilters): Promise<Page<Delivery>> {
      const params: unknown[] = [];
      const where: string[] = [];
      if (f.status) where.push(`o.status = $${params.push(f.status)}`);
      if (f.escalationId) where.push(`o.escalation_id = $${params.push(f.escalationId)}`);
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const [rows, total] = await Promise.all([
        pool.query(
          `${ENTRY_SQL} ${whereSql} ORDER BY o.created_at DESC, o.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
          [...params, f.limit, f.offset],
        ),
        pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_outbox o ${whereSql}`, params),
      ]);
      return { items: rows.rows.map(toEntry), total: total.rows[0]!.n, limit: f.limit, offset: f.offset };
    },

    /**
     * Organisations with open alarms that no e-mail was queued for (outbox/alarm-state.ts decides open): who must
     * act never heard of them outside the inbox. An alarm counts for each organisation it is addressed to at its
     * current level; one e-mail to anyone about any of its levels (not cancelled) counts as reached.
     */
    async unreached(): Promise<UnreachedOrganisation[]> {
      const { rows } = await pool.query(
        `SELECT o.org_id, g.name, count(*)::int AS open_alarms, min(a.first_raised_at) AS oldest_raised_at,
                EXISTS (SELECT 1 FROM notification_settings w WHERE w.org_id = o.org_id AND w.webhook_url IS NOT NULL)
                  AS has_webhook
           FROM deadline_alarms a
           JOIN stays s ON s.id = a.stay_id
           LEFT JOIN stay_milestones m ON m.stay_id = a.stay_id AND m.key = a.milestone
           CROSS JOIN LATERAL unnest(CASE a.recipient_role WHEN 'institution' THEN ARRAY[a.institution_id]
             WHEN 'bydel' THEN ARRAY[a.bydel_id] ELSE ARRAY[a.institution_id, a.bydel_id] END) AS o(org_id)
           LEFT JOIN organisations g ON g.id = o.org_id
          WHERE a.acknowledged_at IS NULL AND NOT ${alarmSettledSql('a', 'm', 's')}
            AND NOT EXISTS (SELECT 1 FROM escalations e JOIN notification_outbox n ON n.escalation_id = e.id
                             WHERE e.alarm_id = a.id AND n.channel = 'email' AND n.status <> 'cancelled')
          GROUP BY o.org_id, g.name
          ORDER BY open_alarms DESC, o.org_id`,
      );
      return rows.map((r) => ({
        orgId: r.org_id,
        name: r.name ?? null,
        openAlarms: r.open_alarms,
        oldestRaisedAt: new Date(r.oldest_raised_at).toISOString(),
        hasWebhook: r.has_webhook,
      }));
    },

    /**
     * A failed delivery goes back to the outbox as an immediate one (also when it was part of a digest); the
     * dispatcher picks it up with the same delivery id. Only failed rows can be redelivered.
     */
    async redeliver(id: string): Promise<{ entry: Delivery | null; requeued: boolean }> {
      const updated = await pool.query(
        `UPDATE notification_outbox SET status = 'pending', mode = 'immediate', digest_id = NULL, last_error = NULL WHERE id = $1 AND status = 'failed'`,
        [id],
      );
      const found = await pool.query(`${ENTRY_SQL} WHERE o.id = $1`, [id]);
      return { entry: found.rows[0] ? toEntry(found.rows[0]) : null, requeued: updated.rowCount === 1 };
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    notificationSettings: ReturnType<typeof createNotificationSettings>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool; secrets?: SecretBox; webhooks?: WebhookPolicy }) => {
    app.decorate('notificationSettings', createNotificationSettings(opts.pool, opts.secrets, opts.webhooks));
  },
  { name: 'notification-settings' },
);
