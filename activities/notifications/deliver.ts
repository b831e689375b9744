import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import { createChannels } from './channels';
import { consentSweep } from './consent-expiry';
import { createDailyDigests } from './daily-digest-delivery';
import { sendEscalation } from './escalation-delivery';
import { sendEvent } from './event-delivery';
import { deliverForecastDigest } from './forecast-digest-delivery';
import { CANCELLED, cancelDeliveries, ITEM_SQL, toEscalationRow, toEventRow } from './outbox-rows';

/**
 * Delivery of the outbox, driven by notificationDispatcherWorkflow. Recording is exactly once (a row goes to
 * `sent` once, in PostgreSQL); sending is at least once: a worker killed between sending and recording sends
 * again on retry, with the same delivery id (Message-ID / X-Delivery-Id), so the receiver can tell. Each kind of
 * delivery has its own module: escalations, stay events, weekly forecast digests and daily digests.
 */
export const createNotificationActivities = (pool: Pool, config: NotificationConfig) => {
  const channels = createChannels(pool, config);
  const dailyDigests = createDailyDigests(pool, channels, config);
  const sweepConsents = consentSweep(pool);
  let warnedNoSmtp = false;

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
      if (!channels.hasMail && !warnedNoSmtp) {
        warnedNoSmtp = true;
        log.warn('SMTP_URL is not set: e-mail notifications stay pending (webhooks are delivered)');
      }
      await sweepConsents(input.now);
      const kinds = channels.hasMail ? ['email', 'webhook'] : ['webhook'];
      const notifications = await pool.query<{ id: string }>(
        `SELECT id FROM notification_outbox WHERE status = 'pending' AND mode = 'immediate' AND channel = ANY($1)
           AND NOT (id = ANY($2::uuid[])) ORDER BY created_at, id LIMIT $3`,
        [kinds, input.exclude, input.limit],
      );
      let digests: string[] = [];
      if (channels.hasMail) {
        await dailyDigests.prepare(input.now);
        digests = await dailyDigests.due(input.exclude, input.limit);
      }
      return { notifications: notifications.rows.map((r) => r.id), digests };
    },

    /** Sends one outbox row and records it as sent. Idempotent: a row already recorded is not sent again. */
    async deliverNotification(deliveryId: string): Promise<'sent' | 'already-sent' | 'gone'> {
      const found = await pool.query(`${ITEM_SQL} WHERE o.id = $1`, [deliveryId]);
      if (!found.rows[0]) return await deliverForecastDigest(pool, channels, config, deliveryId);
      const row = found.rows[0].event_id ? toEventRow(found.rows[0]) : toEscalationRow(found.rows[0]);
      if (row.status === 'sent') return 'already-sent';
      if (!row.inScope) {
        await cancelDeliveries(pool, [deliveryId], CANCELLED.outOfScope);
        return 'gone';
      }
      if ('settled' in row && row.settled) {
        await cancelDeliveries(pool, [deliveryId], CANCELLED.settled);
        return 'gone';
      }
      return await channels.sendAndRecord(deliveryId, () =>
        'eventId' in row
          ? sendEvent(pool, channels, config, row)
          : sendEscalation(pool, channels, config.appBaseUrl, row),
      );
    },

    /** After the last retry: visible to admins (GET /api/notifications?status=failed) until redelivered. */
    async markNotificationFailed(input: { deliveryId: string; error: string }): Promise<void> {
      await pool.query(
        `UPDATE notification_outbox SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'pending'`,
        [input.deliveryId, input.error.slice(0, 500)],
      );
    },

    deliverDigest: (digestId: string) => dailyDigests.deliver(digestId),
    markDigestFailed: (input: { digestId: string; error: string }) => dailyDigests.markFailed(input),
  };
};

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
