import type { PoolClient } from 'pg';
import type { AuditEntry, ReadModelSync } from '../../workflows/stay/types';
import { enqueueEventNotification, type EventKind } from '../../outbox/enqueue-event';

/** What the workflow recorded that a bydel has to act on, and which bydel. */
function handOverOf(
  stay: ReadModelSync['stay'],
  a: AuditEntry,
): { kind: EventKind; bydelId: string; details: Record<string, unknown> } | null {
  const d = a.details ?? {};
  if (a.action === 'event.housing-offered') {
    // §3: the bydel the resident moves to is involved as early as possible (its booppfølger above all)
    const receiving = (d.receivingBydelId as string | null | undefined) ?? stay.bydelId;
    return {
      kind: 'housing-offered',
      bydelId: receiving,
      details: {
        date: d.date,
        receivingBydelId: receiving,
        fromBydelId: stay.bydelId,
        expectedMoveInDate: d.expectedMoveInDate ?? null,
      },
    };
  }
  if (a.action !== 'milestone.completed') return null;
  // §2.2: the bydel judges whether a status report is sufficient; §3.3: the final report is sent to the bydel
  if (a.milestone === 'status-report' || a.milestone === 'extra-status-report')
    return {
      kind: 'status-report-received',
      bydelId: stay.bydelId,
      details: { milestone: a.milestone, doneAt: d.doneAt },
    };
  if (a.milestone === 'final-report')
    return { kind: 'final-report-sent', bydelId: stay.bydelId, details: { milestone: a.milestone, doneAt: d.doneAt } };
  return null;
}

/** Whether an audit entry notifies a bydel (the read-model write then needs a transaction for the outbox). */
export function notifiesOfHandOver(stay: ReadModelSync['stay'], a: AuditEntry): boolean {
  const handOver = handOverOf(stay, a);
  return !!handOver && a.actor.org !== handOver.bydelId;
}

/**
 * Notifies the bydel of a hand-over the stay's workflow recorded (housing offered in it, a status report, the final
 * report): its coordinators and webhook, and its contacts on the stay. Called by the read-model write for each audit
 * entry, in its transaction; keyed by the entry (stay, seq), so a retried write — after a worker restart too —
 * notifies nobody twice. Nothing when the bydel recorded it itself.
 */
export async function enqueueStayEventNotification(
  client: PoolClient,
  stay: ReadModelSync['stay'],
  a: AuditEntry,
): Promise<void> {
  const handOver = handOverOf(stay, a);
  if (!handOver || !notifiesOfHandOver(stay, a)) return;
  const contacts = await client.query<{ email: string; organisation_id: string }>({
    name: 'hand-over-contacts',
    text: `SELECT email, organisation_id FROM stay_contacts
      WHERE stay_id = $1 AND organisation_id = $2 AND email IS NOT NULL AND role IN ('bydel-contact', 'housing-follow-up-worker')`,
    values: [stay.id, handOver.bydelId],
  });
  await enqueueEventNotification(client, {
    key: `audit:${stay.id}:${a.seq}`,
    stayId: stay.id,
    kind: handOver.kind,
    institutionId: stay.institutionId,
    bydelId: stay.bydelId,
    details: handOver.details,
    coordinatorsOf: [handOver.bydelId],
    webhooksOf: [handOver.bydelId],
    emails: contacts.rows.map((c) => ({ email: c.email, orgId: c.organisation_id })),
  });
}
