import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import type { Channels } from './channels';
import { type ContactLine, eventMail } from './event-templates';
import type { EventRow } from './outbox-rows';
import { stayLink } from './templates';

/** Organisation names for the mail, and the stay's contacts (read when sending: nothing personal is queued). */
async function eventContext(pool: Pool, appBaseUrl: string, row: EventRow) {
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
    appBaseUrl,
  };
}

/** Sends one event of a stay (a hand-over, a housing offer, …) by e-mail or webhook. */
export async function sendEvent(
  pool: Pool,
  channels: Channels,
  config: NotificationConfig,
  row: EventRow,
): Promise<void> {
  if (row.channel === 'email') {
    await channels.mail(
      row.recipient,
      eventMail(row, await eventContext(pool, config.appBaseUrl, row)),
      row.deliveryId,
    );
    return;
  }
  await channels.webhook(row.orgId, row.deliveryId, {
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
