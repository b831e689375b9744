import type { Pool } from 'pg';
import type { NotificationConfig } from '../../config/notifications';
import type { Channels } from './channels';
import { eventMail } from './event-templates';
import { stayMailContext } from './mail-context';
import type { EventRow } from './outbox-rows';
import { stayLink } from './templates';

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
      eventMail(
        row,
        await stayMailContext(pool, config.appBaseUrl, row.stayId, [
          row.institutionId,
          row.bydelId,
          ...[row.details.receivingBydelId, row.details.fromBydelId].filter(
            (id): id is string => typeof id === 'string',
          ),
        ]),
      ),
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
