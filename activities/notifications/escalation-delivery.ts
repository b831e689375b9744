import type { Pool } from 'pg';
import { alarmThreadId, type Channels } from './channels';
import { stayMailContext } from './mail-context';
import type { EscalationRow } from './outbox-rows';
import { immediateMail, stayLink } from './templates';

/** Sends one escalation (reminder, overdue, second level) by e-mail or webhook. */
export async function sendEscalation(
  pool: Pool,
  channels: Channels,
  appBaseUrl: string,
  row: EscalationRow,
): Promise<void> {
  if (row.channel === 'email') {
    const ctx = await stayMailContext(pool, appBaseUrl, row.stayId, [row.institutionId, row.bydelId], row);
    // the ladder of one deadline is one conversation in the mail client, however many levels it climbs
    await channels.mail(row.recipient, immediateMail(row, ctx), row.deliveryId, {
      references: [alarmThreadId(row.alarmId)],
      headers: { 'X-Alarm-Id': row.alarmId },
    });
    return;
  }
  await channels.webhook(row.orgId, row.deliveryId, {
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
    link: stayLink(appBaseUrl, row.stayId),
  });
}
