import type { PoolClient } from 'pg';
import { enqueueEventNotification } from '../../../outbox/enqueue-event';
import { osloLocal } from '../../../rules/oslo-time';
import type { Caller } from './auth';
import type { MeetingRow } from './meeting-row';

export type MeetingNews = 'planned' | 'moved' | 'cancelled';

/**
 * Tells the invited (or, when nobody is invited, every contact of the stay with an e-mail address) that a meeting
 * was planned, moved or cancelled — and someone invited to a meeting already planned that it is planned — and calls
 * the webhooks of the stay's institution and bydel. In the transaction that changed the meeting; keyed by the meeting
 * and its move count, so a retry notifies nobody twice. The person who made the change is not told about it.
 */
export async function enqueueMeetingNotification(
  client: PoolClient,
  news: MeetingNews,
  meeting: MeetingRow,
  caller: Caller,
  previous?: MeetingRow,
  /** Only these contacts (invited to a meeting already planned), instead of every invited one. */
  only?: string[],
): Promise<void> {
  const stay = await client.query<{ institution_id: string; bydel_id: string }>(
    'SELECT institution_id, bydel_id FROM stays WHERE id = $1',
    [meeting.stay_id],
  );
  const { institution_id: institutionId, bydel_id: bydelId } = stay.rows[0]!;
  const contacts = await client.query<{ email: string; organisation_id: string }>(
    `SELECT c.email, c.organisation_id FROM stay_contacts c
      WHERE c.stay_id = $1 AND c.email IS NOT NULL AND c.user_id IS DISTINCT FROM $2
        AND (NOT EXISTS (SELECT 1 FROM stay_meeting_invitations i WHERE i.meeting_id = $3)
             OR c.id IN (SELECT i.contact_id FROM stay_meeting_invitations i WHERE i.meeting_id = $3))
        AND ($4::uuid[] IS NULL OR c.id = ANY($4::uuid[]))`,
    [meeting.stay_id, caller.sub, meeting.id, only ?? null],
  );
  const key =
    news === 'moved'
      ? `meeting:${meeting.id}:moved:${meeting.moves}`
      : only
        ? `meeting:${meeting.id}:invited:${meeting.moves}:${[...only].sort().join(',')}`
        : `meeting:${meeting.id}:${news}`;
  await enqueueEventNotification(client, {
    key,
    stayId: meeting.stay_id,
    kind: `meeting-${news}`,
    institutionId,
    bydelId,
    details: {
      meetingId: meeting.id,
      milestone: meeting.milestone,
      plannedAt: osloLocal(meeting.planned_at.getTime()),
      ...(previous ? { previousPlannedAt: osloLocal(previous.planned_at.getTime()) } : {}),
    },
    coordinatorsOf: [],
    webhooksOf: [institutionId, bydelId],
    emails: contacts.rows.map((c) => ({ email: c.email, orgId: c.organisation_id })),
  });
}
