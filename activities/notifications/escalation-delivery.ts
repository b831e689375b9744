import { alarmThreadId, type Channels } from './channels';
import type { EscalationRow } from './outbox-rows';
import { immediateMail, stayLink } from './templates';

/** Sends one escalation (reminder, overdue, second level) by e-mail or webhook. */
export async function sendEscalation(channels: Channels, appBaseUrl: string, row: EscalationRow): Promise<void> {
  if (row.channel === 'email') {
    // the ladder of one deadline is one conversation in the mail client, however many levels it climbs
    await channels.mail(row.recipient, immediateMail(row, appBaseUrl), row.deliveryId, {
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
