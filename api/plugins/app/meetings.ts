import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../../config/database';
import { type Attendance, MEETING_PARTIES, meetingFlags } from '../../../rules/meeting-flags';
import { milestoneRule } from '../../../rules/milestones';
import { osloDate, osloMidnight } from '../../../rules/oslo-calendar';
import { dateOf, osloLocal } from '../../../rules/oslo-time';
import type { AttendanceBody, Meeting, MeetingList, PlanMeetingBody } from '../../../schemas/meetings';
import { HttpProblem } from '../../problem';
import type { Caller } from './auth';
import { enqueueMeetingNotification } from './meeting-notifications';
import type { MeetingRow } from './meeting-row';
import { appendStayAudit } from './stay-audit';
import type { MilestoneView } from '../../../schemas/stays';

/** A change to a planned meeting, already checked against the stay: the instant it moves to, in epoch ms. */
export type MeetingChange = {
  start?: number;
  durationMinutes?: number;
  place?: string | null;
  videoLink?: string | null;
  invited?: string[];
  cancel?: boolean;
};

/** What the meeting's flags are computed against: its milestone's due date (the agreed one) and §. */
export type MilestoneDue = Pick<MilestoneView, 'key' | 'dueDate' | 'section'>;

const SELECT = `SELECT m.*, COALESCE(array_agg(i.contact_id::text ORDER BY i.contact_id) FILTER (WHERE i.contact_id IS NOT NULL), '{}') AS invited
  FROM stay_meetings m LEFT JOIN stay_meeting_invitations i ON i.meeting_id = m.id`;

export function toMeeting(row: MeetingRow, milestones: MilestoneDue[]): Meeting {
  const plannedAt = osloLocal(row.planned_at.getTime());
  const milestone = milestones.find((m) => m.key === row.milestone) ?? null;
  return {
    id: row.id,
    milestone: row.milestone,
    plannedAt,
    start: row.planned_at.toISOString(),
    durationMinutes: row.duration_minutes,
    place: row.place,
    videoLink: row.video_link,
    invited: row.invited,
    status: row.status,
    attendance: attendanceOf(row),
    housingOnAgenda: row.housing_on_agenda,
    moves: row.moves,
    flags: meetingFlags(
      {
        milestone: row.milestone,
        date: dateOf(plannedAt),
        status: row.status,
        attendance: row.attendance,
        housingOnAgenda: row.housing_on_agenda,
      },
      milestone,
    ),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Per meeting milestone, the earliest meeting still planned from today (Oslo) on: what the milestone shows. */
export function nextPlannedOf(rows: MeetingRow[], nowMs: number): MeetingList['nextPlanned'] {
  const fromMs = osloMidnight(osloDate(nowMs));
  const next: MeetingList['nextPlanned'] = {};
  for (const row of [...rows].sort((a, b) => a.planned_at.getTime() - b.planned_at.getTime())) {
    if (row.status !== 'planned' || row.planned_at.getTime() < fromMs || next[row.milestone]) continue;
    next[row.milestone] = { id: row.id, plannedAt: osloLocal(row.planned_at.getTime()) };
  }
  return next;
}

/** In the parties' order (jsonb keeps its own key order), so equal attendance compares equal. */
const attendanceOf = (row: MeetingRow): Attendance | null =>
  row.attendance ? (Object.fromEntries(MEETING_PARTIES.map((p) => [p, row.attendance![p]])) as Attendance) : null;

/** What an audit entry says about a meeting (before → after): where, when, who, in which state. */
const snapshot = (row: MeetingRow) => ({
  milestone: row.milestone,
  plannedAt: osloLocal(row.planned_at.getTime()),
  durationMinutes: row.duration_minutes,
  place: row.place,
  videoLink: row.video_link,
  invited: row.invited,
  status: row.status,
  attendance: attendanceOf(row),
  housingOnAgenda: row.housing_on_agenda,
});

/** Only what changed, as { before, after }. */
function difference(before: MeetingRow, after: MeetingRow) {
  const b = snapshot(before);
  const a = snapshot(after);
  const keys = (Object.keys(a) as (keyof typeof a)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, b[k]])),
    after: Object.fromEntries(keys.map((k) => [k, a[k]])),
    keys,
  };
}

const conflict = (detail: string, code: string) => new HttpProblem(409, 'Conflict', detail, { code });

async function getOn(client: Pool | PoolClient, stayId: string, meetingId: string, lock = false) {
  if (lock)
    await client.query('SELECT 1 FROM stay_meetings WHERE id = $1 AND stay_id = $2 FOR UPDATE', [meetingId, stayId]);
  const rows = await client.query<MeetingRow>(`${SELECT} WHERE m.stay_id = $1 AND m.id = $2 GROUP BY m.id`, [
    stayId,
    meetingId,
  ]);
  return rows.rows[0] ?? null;
}

/** Invited ids must be contacts of this stay: 422 naming each one that is not. */
async function requireContacts(client: PoolClient, stayId: string, invited: string[], field: string) {
  if (invited.length === 0) return;
  const found = await client.query<{ id: string }>(
    'SELECT id::text FROM stay_contacts WHERE stay_id = $1 AND id = ANY($2::uuid[])',
    [stayId, invited],
  );
  const known = new Set(found.rows.map((r) => r.id));
  const errors = invited
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !known.has(id))
    .map(({ i }) => ({ path: `body.${field}.${i}`, message: 'not a contact of this stay' }));
  if (errors.length > 0)
    throw new HttpProblem(
      422,
      'Unprocessable Content',
      `Only contacts of this stay can be invited (GET /api/stays/:id/contacts): ${errors.map((e) => e.path).join(', ')}.`,
      { code: 'not-a-contact-of-this-stay', errors },
    );
}

async function setInvitations(client: PoolClient, meetingId: string, invited: string[]) {
  await client.query('DELETE FROM stay_meeting_invitations WHERE meeting_id = $1', [meetingId]);
  if (invited.length > 0)
    await client.query(
      'INSERT INTO stay_meeting_invitations (meeting_id, contact_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING',
      [meetingId, invited],
    );
}

/**
 * Meetings of stays (stay_meetings). Every change is one transaction with its audit entry in the stay's trail and,
 * when it is planned, moved or cancelled, the notification of the invited; a change that changes nothing writes nothing.
 */
export function createMeetings(pool: Pool) {
  return {
    async list(stayId: string): Promise<MeetingRow[]> {
      const rows = await pool.query<MeetingRow>(
        `${SELECT} WHERE m.stay_id = $1 GROUP BY m.id ORDER BY m.planned_at, m.created_at, m.id`,
        [stayId],
      );
      return rows.rows;
    },

    get: (stayId: string, meetingId: string) => getOn(pool, stayId, meetingId),

    /**
     * Plans a meeting. With an Idempotency-Key, a retry by the same user answers with the meeting the first call
     * created (`created: false`), and nothing is written twice.
     */
    async plan(
      stayId: string,
      caller: Caller,
      input: Omit<PlanMeetingBody, 'plannedAt'> & { start: number },
      idempotencyKey?: string,
    ): Promise<{ row: MeetingRow; created: boolean }> {
      return withTransaction(pool, async (client) => {
        const earlier = async () =>
          idempotencyKey
            ? (
                await client.query<{ id: string }>(
                  'SELECT id FROM stay_meetings WHERE stay_id = $1 AND created_by = $2 AND idempotency_key = $3',
                  [stayId, caller.sub, idempotencyKey],
                )
              ).rows[0]
            : undefined;
        const found = await earlier();
        if (found) return { row: (await getOn(client, stayId, found.id))!, created: false };
        await requireContacts(client, stayId, input.invited ?? [], 'invited');
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO stay_meetings (stay_id, milestone, planned_at, duration_minutes, place, video_link, created_by, idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ON CONSTRAINT stay_meetings_once DO NOTHING RETURNING id`,
          [
            stayId,
            input.milestone,
            new Date(input.start),
            input.durationMinutes ?? 60,
            input.place ?? null,
            input.videoLink ?? null,
            caller.sub,
            idempotencyKey ?? null,
          ],
        );
        const id = inserted.rows[0]?.id;
        // the same key raced us between the look-up and the insert: theirs is the meeting
        if (!id) return { row: (await getOn(client, stayId, (await earlier())!.id))!, created: false };
        await setInvitations(client, id, input.invited ?? []);
        const row = (await getOn(client, stayId, id))!;
        await enqueueMeetingNotification(client, 'planned', row, caller);
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'meeting.planned',
          milestone: row.milestone,
          details: { meetingId: id, section: milestoneRule(row.milestone).section, after: snapshot(row) },
        });
        return { row, created: true };
      });
    },

    /** Moves, changes or cancels a planned meeting. Held and cancelled meetings are settled (409). */
    async update(stayId: string, meetingId: string, caller: Caller, change: MeetingChange): Promise<MeetingRow | null> {
      return withTransaction(pool, async (client) => {
        const before = await getOn(client, stayId, meetingId, true);
        if (!before) return null;
        if (before.status !== 'planned')
          throw conflict(
            `The meeting is ${before.status === 'held' ? 'held (its attendance is recorded)' : 'cancelled'}; only a planned meeting can be moved, changed or cancelled. Plan a new one instead.`,
            `meeting-${before.status}`,
          );
        if (change.invited) await requireContacts(client, stayId, change.invited, 'invited');
        const next: MeetingRow = {
          ...before,
          planned_at: new Date(change.start ?? before.planned_at.getTime()),
          duration_minutes: change.durationMinutes ?? before.duration_minutes,
          place: change.place === undefined ? before.place : change.place,
          video_link: change.videoLink === undefined ? before.video_link : change.videoLink,
          status: change.cancel ? 'cancelled' : before.status,
          invited: change.invited ? [...change.invited].sort() : before.invited,
        };
        const diff = difference(before, next);
        if (diff.keys.length === 0) return before;
        const moved = diff.keys.includes('plannedAt');
        await client.query(
          `UPDATE stay_meetings SET planned_at = $3, duration_minutes = $4, place = $5, video_link = $6, status = $7,
             moves = moves + $8, updated_at = now() WHERE stay_id = $1 AND id = $2`,
          [
            stayId,
            meetingId,
            next.planned_at,
            next.duration_minutes,
            next.place,
            next.video_link,
            next.status,
            moved ? 1 : 0,
          ],
        );
        if (change.invited) await setInvitations(client, meetingId, change.invited);
        const after = (await getOn(client, stayId, meetingId))!;
        if (change.cancel) await enqueueMeetingNotification(client, 'cancelled', after, caller);
        else if (moved) await enqueueMeetingNotification(client, 'moved', after, caller, before);
        else {
          const newlyInvited = after.invited.filter((id) => !before.invited.includes(id));
          if (newlyInvited.length > 0)
            await enqueueMeetingNotification(client, 'planned', after, caller, undefined, newlyInvited);
        }
        await appendStayAudit(client, {
          stayId,
          caller,
          action: change.cancel ? 'meeting.cancelled' : moved ? 'meeting.moved' : 'meeting.updated',
          milestone: after.milestone,
          details: {
            meetingId,
            section: milestoneRule(after.milestone).section,
            before: diff.before,
            after: diff.after,
          },
        });
        return after;
      });
    },

    /** Who attended and whether housing was on the agenda; recording again corrects it (audited before → after). */
    async recordAttendance(
      stayId: string,
      meetingId: string,
      caller: Caller,
      body: AttendanceBody,
      nowMs: number,
    ): Promise<MeetingRow | null> {
      return withTransaction(pool, async (client) => {
        const before = await getOn(client, stayId, meetingId, true);
        if (!before) return null;
        if (before.status === 'cancelled')
          throw conflict('The meeting was cancelled; there is no attendance to record.', 'meeting-cancelled');
        const date = osloDate(before.planned_at.getTime());
        if (date > osloDate(nowMs))
          throw new HttpProblem(
            422,
            'Unprocessable Content',
            `The meeting is planned for ${date}; record who attended on or after that day (or move it, if it was held earlier).`,
            { code: 'meeting-in-the-future' },
          );
        const diff = difference(before, {
          ...before,
          status: 'held',
          attendance: body.attended,
          housing_on_agenda: body.housingOnAgenda,
        });
        if (diff.keys.length === 0) return before;
        await client.query(
          `UPDATE stay_meetings SET status = 'held', attendance = $3, housing_on_agenda = $4, updated_at = now()
           WHERE stay_id = $1 AND id = $2`,
          [stayId, meetingId, JSON.stringify(body.attended), body.housingOnAgenda],
        );
        const after = (await getOn(client, stayId, meetingId))!;
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'meeting.attendance-recorded',
          milestone: after.milestone,
          details: {
            meetingId,
            section: milestoneRule(after.milestone).section,
            before: diff.before,
            after: diff.after,
          },
        });
        return after;
      });
    },
  };
}

export type Meetings = ReturnType<typeof createMeetings>;

declare module 'fastify' {
  interface FastifyInstance {
    meetings: Meetings;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('meetings', createMeetings(opts.pool));
  },
  { name: 'meetings' },
);
