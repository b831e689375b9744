import { createHmac } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import nodemailer from 'nodemailer';
import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import { openStoredSecret } from '../../config/secret-box';
import { PRODUCTION_WEBHOOKS, postWebhook, WebhookRefused } from '../../config/webhook-target';
import { type ContactLine, type EventItem, eventMail } from './event-templates';
import { digestMail, immediateMail, stayLink, type NotificationItem } from './templates';
import { withTransaction } from '../../config/database';
import { consentSweep } from './consent-expiry';
import type { ForecastDigestItem } from './forecast-digest';
import { forecastDigestMail } from './forecast-digest-mail';

export const NotificationFailure = { NoWebhook: 'NoWebhook', WebhookRefused: 'WebhookRefused' } as const;

/**
 * What an administrator sees of a failed webhook (last_error, the dispatcher's failure): the kind of failure, never
 * the receiver's status, address or port — an admin must not be able to probe the network through the webhook form.
 * The worker's log has the status for operators.
 */
export const WEBHOOK_ERRORS = {
  refused: (reason: string) => `the webhook address is refused: ${reason}`,
  notAccepted: 'the webhook did not accept the notification (not a 2xx answer)',
  unreachable: 'the webhook could not be reached',
} as const;

/** The Message-ID of a delivery: stable across retries and restarts, so that a receiver can drop a duplicate. */
export const messageIdOf = (deliveryId: string) => `<${deliveryId}@stay-transition>`;

/** The thread every notification about one deadline refers to (References), whatever its level. */
export const alarmThreadId = (alarmId: string) => `<alarm-${alarmId}@stay-transition>`;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the X-Signature header of a webhook call. */
export const webhookSignature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

type Delivery = { channel: 'email' | 'webhook'; recipient: string; orgId: string; status: string; inScope: boolean };
type OutboxRow = NotificationItem & Delivery;
/** An outbox row about an event (migration 0034) rather than an escalation. */
type EventRow = EventItem & Delivery;

/**
 * `in_scope`: after a bydel change handed the stay over, what was queued for the old bydel is cancelled, not sent (it
 * no longer has access to the stay). An escalation goes to the stay's institution or bydel, so it is in scope while
 * its organisation still is one of them; an event may also go to the receiving bydel or a contact's organisation, so
 * only what was queued for the bydel the event was about, now no longer the stay's, is out of scope.
 */
const ITEM_SQL = `SELECT o.id, o.escalation_id, o.event_id, o.channel, o.recipient, o.org_id, o.status,
    COALESCE(e.kind, v.kind) AS kind, e.milestone, COALESCE(e.stay_id, v.stay_id) AS stay_id, e.due_date,
    COALESCE(e.institution_id, v.institution_id) AS institution_id, COALESCE(e.bydel_id, v.bydel_id) AS bydel_id,
    e.alarm_id, v.details,
    CASE WHEN o.escalation_id IS NOT NULL THEN o.org_id IN (s.institution_id, s.bydel_id)
         ELSE NOT (o.org_id = v.bydel_id AND s.bydel_id <> v.bydel_id AND o.org_id <> s.institution_id) END AS in_scope
  FROM notification_outbox o
  LEFT JOIN escalations e ON e.id = o.escalation_id
  LEFT JOIN notification_events v ON v.id = o.event_id
  JOIN stays s ON s.id = COALESCE(e.stay_id, v.stay_id)`;

const OUT_OF_SCOPE = 'cancelled: the stay was handed over to another bydel before delivery';

const toRow = (r: Record<string, unknown>): OutboxRow => ({
  deliveryId: r.id as string,
  escalationId: r.escalation_id as string,
  channel: r.channel as OutboxRow['channel'],
  recipient: r.recipient as string,
  orgId: r.org_id as string,
  status: r.status as string,
  kind: r.kind as OutboxRow['kind'],
  milestone: r.milestone as string,
  stayId: r.stay_id as string,
  dueDate: String(r.due_date),
  institutionId: r.institution_id as string,
  bydelId: r.bydel_id as string,
  alarmId: (r.alarm_id as string | null) ?? (r.escalation_id as string),
  inScope: r.in_scope as boolean,
});

const toEventRow = (r: Record<string, unknown>): EventRow => ({
  deliveryId: r.id as string,
  eventId: r.event_id as string,
  channel: r.channel as EventRow['channel'],
  recipient: r.recipient as string,
  orgId: r.org_id as string,
  status: r.status as string,
  kind: r.kind as EventRow['kind'],
  stayId: r.stay_id as string,
  institutionId: r.institution_id as string,
  bydelId: r.bydel_id as string,
  details: (r.details as Record<string, unknown>) ?? {},
  inScope: r.in_scope as boolean,
});

/**
 * Delivery of the outbox, driven by notificationDispatcherWorkflow. Recording is exactly once (a row goes to
 * `sent` once, in PostgreSQL); sending is at least once: a worker killed between sending and recording sends
 * again on retry, with the same delivery id (Message-ID / X-Delivery-Id), so the receiver can tell.
 */
export const createNotificationActivities = (pool: Pool, config: NotificationConfig) => {
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  let warnedNoSmtp = false;
  const sweepConsents = consentSweep(pool);

  /** Crash-test fault injection: the process dies between "sent" and "recorded", once. */
  const faultPoint = (deliveryId: string) => {
    const file = config.faultKillAfterSendFile;
    if (file && !existsSync(file)) {
      writeFileSync(file, deliveryId);
      process.kill(process.pid, 'SIGKILL');
    }
  };

  /**
   * One attempt at an outbox row: a failed send counts the attempt and keeps its message (then throws, for the
   * activity's retry); a sent one is recorded as sent, once.
   */
  async function sendAndRecord(deliveryId: string, send: () => Promise<void>): Promise<'sent'> {
    try {
      await send();
    } catch (err) {
      await pool.query('UPDATE notification_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
        deliveryId,
        (err as Error).message.slice(0, 500),
      ]);
      throw err;
    }
    faultPoint(deliveryId);
    await pool.query(
      `UPDATE notification_outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1 AND status <> 'sent'`,
      [deliveryId],
    );
    return 'sent';
  }

  const requireTransport = () => {
    if (!transport) throw ApplicationFailure.create({ message: 'SMTP_URL is not set', nonRetryable: false });
    return transport;
  };

  /** Organisation names for the mail, and the stay's contacts (read when sending: nothing personal is queued). */
  async function eventContext(row: EventRow) {
    const ids = [row.institutionId, row.bydelId, row.details.receivingBydelId, row.details.fromBydelId].filter(
      (id): id is string => typeof id === 'string',
    );
    const [orgs, contacts] = await Promise.all([
      pool.query<{ id: string; name: string }>('SELECT id, name FROM organisations WHERE id = ANY($1)', [ids]),
      pool.query<ContactLine & { organisation_id: string }>(
        `SELECT role, name, organisation_id, phone, email FROM stay_contacts
          WHERE stay_id = $1 AND role <> 'other' ORDER BY position`,
        [row.stayId],
      ),
    ]);
    const names = new Map(orgs.rows.map((o) => [o.id, o.name]));
    return {
      name: (id: string) => names.get(id) ?? id,
      contacts: contacts.rows.map((c) => ({ ...c, organisationId: c.organisation_id })),
      appBaseUrl: config.appBaseUrl,
    };
  }

  async function deliverWebhook(orgId: string, deliveryId: string, payload: Record<string, unknown>): Promise<void> {
    const settings = await pool.query<{ webhook_url: string | null; webhook_secret: string | null }>(
      'SELECT webhook_url, webhook_secret FROM notification_settings WHERE org_id = $1',
      [orgId],
    );
    const hook = settings.rows[0];
    if (!hook?.webhook_url || !hook.webhook_secret) {
      throw ApplicationFailure.create({
        type: NotificationFailure.NoWebhook,
        message: `organisation ${orgId} has no webhook any more`,
        nonRetryable: true,
      });
    }
    const body = JSON.stringify(payload);
    let status: number;
    try {
      status = await postWebhook(hook.webhook_url, {
        headers: {
          'content-type': 'application/json',
          'x-signature': webhookSignature(openStoredSecret(hook.webhook_secret, config.secrets), body),
          'x-delivery-id': deliveryId,
        },
        body,
        policy: config.webhooks ?? PRODUCTION_WEBHOOKS,
        timeoutMs: 10_000,
      });
    } catch (err) {
      if (err instanceof WebhookRefused)
        throw ApplicationFailure.create({
          type: NotificationFailure.WebhookRefused,
          message: WEBHOOK_ERRORS.refused(err.message),
          nonRetryable: true,
        });
      log.warn('webhook unreachable', { deliveryId, code: (err as NodeJS.ErrnoException).code });
      throw new Error(WEBHOOK_ERRORS.unreachable);
    }
    if (status < 200 || status > 299) {
      log.warn('webhook did not accept', { deliveryId, status });
      throw new Error(WEBHOOK_ERRORS.notAccepted);
    }
  }

  async function sendEvent(row: EventRow): Promise<void> {
    if (row.channel === 'email') {
      const mail = eventMail(row, await eventContext(row));
      await requireTransport().sendMail({
        from: config.mailFrom,
        to: row.recipient,
        subject: mail.subject,
        text: mail.text,
        messageId: messageIdOf(row.deliveryId),
        headers: { 'X-Delivery-Id': row.deliveryId },
      });
      return;
    }
    await deliverWebhook(row.orgId, row.deliveryId, {
      deliveryId: row.deliveryId,
      eventId: row.eventId,
      kind: row.kind,
      stayId: row.stayId,
      institutionId: row.institutionId,
      bydelId: row.bydelId,
      ...row.details,
      link: stayLink(config.appBaseUrl, row.stayId),
    });
  }

  async function send(row: OutboxRow): Promise<void> {
    if (row.channel === 'email') {
      const mail = immediateMail(row, config.appBaseUrl);
      await requireTransport().sendMail({
        from: config.mailFrom,
        to: row.recipient,
        subject: mail.subject,
        text: mail.text,
        messageId: messageIdOf(row.deliveryId),
        // the ladder of one deadline is one conversation in the mail client, however many levels it climbs
        references: [alarmThreadId(row.alarmId)],
        headers: { 'X-Delivery-Id': row.deliveryId, 'X-Alarm-Id': row.alarmId },
      });
      return;
    }
    await deliverWebhook(row.orgId, row.deliveryId, {
      deliveryId: row.deliveryId,
      escalationId: row.escalationId,
      alarmId: row.alarmId,
      kind: row.kind,
      level: row.kind,
      milestone: row.milestone,
      stayId: row.stayId,
      dueDate: row.dueDate,
      institutionId: row.institutionId,
      bydelId: row.bydelId,
      link: stayLink(config.appBaseUrl, row.stayId),
    });
  }

  /**
   * A weekly forecast digest (forecast-digest.ts). Scope follows the organisation as it is now: a stay handed over to
   * another bydel, or anonymised, since the digest was made is left out; with nothing left the row is cancelled. The
   * resident reference is read now, for the webhook only (nothing personal is queued).
   */
  async function deliverForecastDigest(deliveryId: string): Promise<'sent' | 'already-sent' | 'gone'> {
    const found = await pool.query<{
      channel: 'email' | 'webhook';
      recipient: string;
      org_id: string;
      status: string;
      iso_week: string;
      as_of: string;
      until: string;
      items: ForecastDigestItem[];
    }>(
      `SELECT o.channel, o.recipient, o.org_id, o.status, f.iso_week, f.as_of, f.until, f.items
         FROM notification_outbox o JOIN forecast_digests f ON f.id = o.forecast_digest_id WHERE o.id = $1`,
      [deliveryId],
    );
    const row = found.rows[0];
    if (!row) return 'gone';
    if (row.status === 'sent') return 'already-sent';
    const stays = await pool.query<{ id: string; resident_ref: string; institution_id: string; bydel_id: string }>(
      `SELECT id, resident_ref, institution_id, bydel_id FROM stays
        WHERE id = ANY($1::uuid[]) AND anonymised_at IS NULL AND $2 IN (institution_id, bydel_id)`,
      [row.items.map((i) => i.stayId), row.org_id],
    );
    const current = new Map(stays.rows.map((s) => [s.id, s]));
    const items = row.items
      .filter((i) => current.has(i.stayId))
      .map((i) => ({
        ...i,
        institutionId: current.get(i.stayId)!.institution_id,
        bydelId: current.get(i.stayId)!.bydel_id,
      }));
    if (items.length === 0) {
      await pool.query(
        `UPDATE notification_outbox SET status = 'cancelled', last_error = $2 WHERE id = $1 AND status = 'pending'`,
        [deliveryId, "cancelled: none of the stays in the digest is the organisation's any more"],
      );
      return 'gone';
    }
    return sendAndRecord(deliveryId, async () => {
      if (row.channel === 'email') {
        const orgIds = [row.org_id, ...items.flatMap((i) => [i.institutionId, i.bydelId])];
        const orgs = await pool.query<{ id: string; name: string }>(
          'SELECT id, name FROM organisations WHERE id = ANY($1)',
          [orgIds],
        );
        const names = new Map(orgs.rows.map((o) => [o.id, o.name]));
        const name = (id: string) => names.get(id) ?? id;
        const mail = forecastDigestMail(
          { deliveryId, orgName: name(row.org_id), week: row.iso_week, asOf: row.as_of, until: row.until, items },
          name,
          config.appBaseUrl,
        );
        await requireTransport().sendMail({
          from: config.mailFrom,
          to: row.recipient,
          subject: mail.subject,
          text: mail.text,
          messageId: messageIdOf(deliveryId),
          headers: { 'X-Delivery-Id': deliveryId },
        });
      } else {
        await deliverWebhook(row.org_id, deliveryId, {
          deliveryId,
          kind: 'forecast-digest',
          organisationId: row.org_id,
          week: row.iso_week,
          asOf: row.as_of,
          until: row.until,
          items: items.map((i) => ({
            ...i,
            residentRef: current.get(i.stayId)!.resident_ref,
            link: stayLink(config.appBaseUrl, i.stayId),
          })),
        });
      }
    });
  }

  async function cancel(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await pool.query(
      `UPDATE notification_outbox SET status = 'cancelled', digest_id = NULL, last_error = $2 WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
      [deliveryIds, OUT_OF_SCOPE],
    );
  }

  /** Due digests: for each recipient whose Oslo digest time has passed today and who has none for today yet. */
  async function prepareDigests(now: string): Promise<void> {
    const oslo = DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/Oslo');
    await withTransaction(pool, async (client) => {
      await client.query(
        `INSERT INTO notification_digests (id, org_id, email, digest_date)
         SELECT gen_random_uuid(), o.org_id, o.recipient, $1::date FROM notification_outbox o
           LEFT JOIN notification_recipients r ON r.org_id = o.org_id AND r.email = o.recipient
         WHERE o.status = 'pending' AND o.mode = 'digest' AND o.digest_id IS NULL AND o.channel = 'email'
           AND COALESCE(r.digest_time, '07:00') <= $2::time
         GROUP BY o.org_id, o.recipient
         ON CONFLICT ON CONSTRAINT notification_digests_once DO NOTHING`,
        [oslo.toISODate(), oslo.toFormat('HH:mm:ss')],
      );
      // What arrived after today's digest was made waits for tomorrow's.
      await client.query(
        `UPDATE notification_outbox o SET digest_id = d.id FROM notification_digests d
         WHERE d.status = 'pending' AND d.org_id = o.org_id AND d.email = o.recipient AND o.status = 'pending'
           AND o.mode = 'digest' AND o.digest_id IS NULL AND o.channel = 'email' AND o.created_at <= d.created_at`,
      );
    });
  }

  return {
    /**
     * What is due now: pending immediate deliveries (not already in flight) and due daily digests. Also raises the
     * consent reminders whose day has come (the dispatcher's poll is the worker's clock for dated sweeps).
     */
    async pollOutbox(input: {
      now: string;
      exclude: string[];
      limit: number;
    }): Promise<{ notifications: string[]; digests: string[] }> {
      if (!transport && !warnedNoSmtp) {
        warnedNoSmtp = true;
        log.warn('SMTP_URL is not set: e-mail notifications stay pending (webhooks are delivered)');
      }
      await sweepConsents(input.now);
      const channels = transport ? ['email', 'webhook'] : ['webhook'];
      const notifications = await pool.query<{ id: string }>(
        `SELECT id FROM notification_outbox WHERE status = 'pending' AND mode = 'immediate' AND channel = ANY($1)
           AND NOT (id = ANY($2::uuid[])) ORDER BY created_at, id LIMIT $3`,
        [channels, input.exclude, input.limit],
      );
      let digests: string[] = [];
      if (transport) {
        await prepareDigests(input.now);
        const rows = await pool.query<{ id: string }>(
          `SELECT id FROM notification_digests WHERE status = 'pending' AND NOT (id = ANY($1::uuid[])) ORDER BY created_at, id LIMIT $2`,
          [input.exclude, input.limit],
        );
        digests = rows.rows.map((r) => r.id);
      }
      return { notifications: notifications.rows.map((r) => r.id), digests };
    },

    /** Sends one outbox row and records it as sent. Idempotent: a row already recorded is not sent again. */
    async deliverNotification(deliveryId: string): Promise<'sent' | 'already-sent' | 'gone'> {
      const found = await pool.query(`${ITEM_SQL} WHERE o.id = $1`, [deliveryId]);
      if (!found.rows[0]) return await deliverForecastDigest(deliveryId);
      const row = found.rows[0].event_id ? toEventRow(found.rows[0]) : toRow(found.rows[0]);
      if (row.status === 'sent') return 'already-sent';
      if (!row.inScope) {
        await cancel([deliveryId]);
        return 'gone';
      }
      return await sendAndRecord(deliveryId, () => ('eventId' in row ? sendEvent(row) : send(row)));
    },

    /** After the last retry: visible to admins (GET /api/notifications?status=failed) until redelivered. */
    async markNotificationFailed(input: { deliveryId: string; error: string }): Promise<void> {
      await pool.query(
        `UPDATE notification_outbox SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'`,
        [input.deliveryId, input.error.slice(0, 500)],
      );
    },

    /** One e-mail listing the digest's items; then the digest and all its rows are recorded as sent together. */
    async deliverDigest(digestId: string): Promise<'sent' | 'already-sent' | 'gone'> {
      const found = await pool.query<{ email: string; digest_date: string; status: string }>(
        'SELECT email, digest_date, status FROM notification_digests WHERE id = $1',
        [digestId],
      );
      const digest = found.rows[0];
      if (!digest) return 'gone';
      if (digest.status === 'sent') return 'already-sent';
      const queued = (
        await pool.query(`${ITEM_SQL} WHERE o.digest_id = $1 AND o.status = 'pending' ORDER BY o.created_at, o.id`, [
          digestId,
        ])
      ).rows.map(toRow);
      await cancel(queued.filter((i) => !i.inScope).map((i) => i.deliveryId));
      const items = queued.filter((i) => i.inScope);
      if (items.length > 0) {
        const mail = digestMail(
          { deliveryId: digestId, digestDate: String(digest.digest_date), items },
          config.appBaseUrl,
        );
        try {
          await requireTransport().sendMail({
            from: config.mailFrom,
            to: digest.email,
            subject: mail.subject,
            text: mail.text,
            messageId: messageIdOf(digestId),
            headers: { 'X-Delivery-Id': digestId },
          });
        } catch (err) {
          await pool.query('UPDATE notification_digests SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
            digestId,
            (err as Error).message.slice(0, 500),
          ]);
          throw err;
        }
        faultPoint(digestId);
      }
      await withTransaction(pool, async (client) => {
        await client.query(
          `UPDATE notification_digests SET status = 'sent', sent_at = now(), attempts = attempts + 1 WHERE id = $1`,
          [digestId],
        );
        await client.query(
          `UPDATE notification_outbox SET status = 'sent', sent_at = now() WHERE digest_id = $1 AND status = 'pending'`,
          [digestId],
        );
      });
      return 'sent';
    },

    async markDigestFailed(input: { digestId: string; error: string }): Promise<void> {
      await withTransaction(pool, async (client) => {
        await client.query(
          `UPDATE notification_digests SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'`,
          [input.digestId, input.error.slice(0, 500)],
        );
        await client.query(
          `UPDATE notification_outbox SET status = 'failed', last_error = $2 WHERE digest_id = $1 AND status = 'pending'`,
          [input.digestId, input.error.slice(0, 500)],
        );
      });
    },
  };
};

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
