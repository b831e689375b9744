import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import type { Channels } from './channels';
import type { ForecastDigestItem } from './forecast-digest';
import { forecastDigestMail } from './forecast-digest-mail';
import { stayLink } from './templates';

/**
 * A weekly forecast digest (forecast-digest.ts). Scope follows the organisation as it is now: a stay handed over to
 * another bydel, or anonymised, since the digest was made is left out; with nothing left the row is cancelled. The
 * resident reference is read now, for the webhook only (nothing personal is queued).
 */
export async function deliverForecastDigest(
  pool: Pool,
  channels: Channels,
  config: NotificationConfig,
  deliveryId: string,
): Promise<'sent' | 'already-sent' | 'gone'> {
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
  return channels.sendAndRecord(deliveryId, async () => {
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
      await channels.mail(row.recipient, mail, deliveryId);
      return;
    }
    await channels.webhook(row.org_id, deliveryId, {
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
  });
}
