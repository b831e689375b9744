import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import { withTransaction } from '../../config/database';
import type { Channels } from './channels';
import { organisationNames } from './mail-context';
import { CANCELLED, cancelDeliveries, ITEM_SQL, toEscalationRow } from './outbox-rows';
import { digestMail } from './templates';

/**
 * The daily digest of escalations for recipients who asked for one (delivery "digest"): made once a day per
 * recipient at their Oslo digest time, sent as one e-mail, recorded as sent together with all its rows.
 */
export function createDailyDigests(pool: Pool, channels: Channels, config: NotificationConfig) {
  return {
    /** Due digests: for each recipient whose Oslo digest time has passed today and who has none for today yet. */
    async prepare(now: string): Promise<void> {
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
    },

    /** Pending digests, oldest first, leaving out those already in flight. */
    async due(exclude: string[], limit: number): Promise<string[]> {
      const rows = await pool.query<{ id: string }>(
        `SELECT id FROM notification_digests WHERE status = 'pending' AND NOT (id = ANY($1::uuid[])) ORDER BY created_at, id LIMIT $2`,
        [exclude, limit],
      );
      return rows.rows.map((r) => r.id);
    },

    /** One e-mail listing the digest's items; then the digest and all its rows are recorded as sent together. */
    async deliver(digestId: string): Promise<'sent' | 'already-sent' | 'gone'> {
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
      ).rows.map(toEscalationRow);
      const outOfScope = queued.filter((i) => !i.inScope);
      const settled = queued.filter((i) => i.inScope && i.settled);
      await cancelDeliveries(
        pool,
        outOfScope.map((i) => i.deliveryId),
        CANCELLED.outOfScope,
      );
      await cancelDeliveries(
        pool,
        settled.map((i) => i.deliveryId),
        CANCELLED.settled,
      );
      // a deadline done since the step was collected is left out: the digest lists only what is still to do
      const items = queued.filter((i) => i.inScope && !i.settled);
      if (items.length > 0) {
        const name = await organisationNames(
          pool,
          items.flatMap((i) => [i.institutionId, i.bydelId]),
        );
        const mail = digestMail(
          { deliveryId: digestId, digestDate: String(digest.digest_date), items },
          { appBaseUrl: config.appBaseUrl, name },
        );
        try {
          await channels.mail(digest.email, mail, digestId);
        } catch (err) {
          await pool.query('UPDATE notification_digests SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
            digestId,
            (err as Error).message.slice(0, 500),
          ]);
          throw err;
        }
        channels.faultPoint(digestId);
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

    async markFailed(input: { digestId: string; error: string }): Promise<void> {
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
}
