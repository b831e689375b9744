import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { withTransaction } from '../../../config/database';
import { osloDate } from '../../../rules/oslo-calendar';
import type { CalendarFeed } from '../../../schemas/calendar';
import type { Caller } from './auth';
import type { CalendarDeadline, CalendarMeeting, CalendarStay } from './calendar-ics';
import { type RegisterActor, recordOrganisationEvent } from './organisations';
import { OFFER_STILL_OPEN } from './read-model/stays-repository';

/** A feed as stored: whose, which kind, in which organisation's scope. */
export type FeedOwner = {
  id: string;
  kind: CalendarFeed['kind'];
  ownerSub: string;
  ownerRole: 'institution' | 'bydel';
  orgId: string;
};

/** Tokens are 256 random bits; only their hash is stored. */
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

const toFeed = (r: Record<string, unknown>): CalendarFeed => ({
  id: r.id as string,
  kind: r.kind as CalendarFeed['kind'],
  orgId: r.org_id as string,
  mine: false,
  createdAt: (r.created_at as Date).toISOString(),
  lastUsedAt: r.last_used_at ? (r.last_used_at as Date).toISOString() : null,
});

/** How long a held meeting and a missed deadline stay in a feed. */
const LOOK_BACK_DAYS = 90;

/**
 * Subscribable calendar feeds and what they show. A feed reads with its owner's scope: an organisation feed every
 * stay of the organisation (for a bydel also the residents moving to it, §3), a user feed the stays where the
 * owner is a contact or follows a milestone up; deadlines those the organisation answers for (alone or with the other
 * party) and, in a user feed, the milestones the owner took.
 */
export function createCalendarFeeds(pool: Pool) {
  return {
    async create(caller: Caller & { role: 'institution' | 'bydel' }, kind: CalendarFeed['kind']) {
      const token = randomBytes(32).toString('base64url');
      const rows = await pool.query(
        `INSERT INTO calendar_feeds (token_hash, kind, owner_sub, owner_role, org_id) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [hashOf(token), kind, caller.sub, caller.role, caller.org],
      );
      return { feed: { ...toFeed(rows.rows[0]), mine: true }, token };
    },

    /** The caller's own feeds and their organisation's feeds that are not revoked. */
    async list(caller: Caller): Promise<CalendarFeed[]> {
      const rows = await pool.query(
        `SELECT * FROM calendar_feeds WHERE revoked_at IS NULL AND (owner_sub = $1 OR (kind = 'organisation' AND org_id = $2))
         ORDER BY created_at`,
        [caller.sub, caller.role === 'admin' ? null : caller.org],
      );
      return rows.rows.map((r) => ({ ...toFeed(r), mine: r.owner_sub === caller.sub }));
    },

    /** Revokes the caller's own feed, an organisation feed of their organisation, or (admin) any. */
    async revoke(caller: Caller, id: string): Promise<boolean> {
      const rows = await pool.query(
        `UPDATE calendar_feeds SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL
           AND ($3 OR owner_sub = $2 OR (kind = 'organisation' AND org_id = $4))`,
        [id, caller.sub, caller.role === 'admin', caller.role === 'admin' ? null : caller.org],
      );
      return rows.rowCount === 1;
    },

    /** The feed a token opens, or null (unknown or revoked). */
    async open(token: string): Promise<FeedOwner | null> {
      const rows = await pool.query(
        `UPDATE calendar_feeds SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL
         RETURNING id, kind, owner_sub, owner_role, org_id`,
        [hashOf(token)],
      );
      const r = rows.rows[0];
      return r ? { id: r.id, kind: r.kind, ownerSub: r.owner_sub, ownerRole: r.owner_role, orgId: r.org_id } : null;
    },

    async residentRefInTitles(orgId: string | null): Promise<boolean> {
      if (!orgId) return false;
      const rows = await pool.query('SELECT resident_ref_in_titles FROM calendar_settings WHERE org_id = $1', [orgId]);
      return rows.rows[0]?.resident_ref_in_titles ?? false;
    },

    async settings(orgId: string) {
      const rows = await pool.query('SELECT * FROM calendar_settings WHERE org_id = $1', [orgId]);
      const r = rows.rows[0];
      return {
        orgId,
        residentRefInTitles: (r?.resident_ref_in_titles as boolean | undefined) ?? false,
        updatedAt: r ? (r.updated_at as Date).toISOString() : null,
        updatedBy: (r?.updated_by as string | undefined) ?? null,
      };
    },

    /**
     * An administrator's decision; a change (not a repeat) goes into the organisation's change log in the same
     * transaction. The organisation must be in the register (the log belongs to it).
     */
    async putSettings(orgId: string, residentRefInTitles: boolean, actor: RegisterActor) {
      await withTransaction(pool, async (client) => {
        // the first decision has no row to lock yet: serialise the organisation's decisions instead
        await client.query("SELECT pg_advisory_xact_lock(hashtext('calendar-settings'), hashtext($1))", [orgId]);
        const before = await client.query('SELECT resident_ref_in_titles FROM calendar_settings WHERE org_id = $1', [
          orgId,
        ]);
        const from = (before.rows[0]?.resident_ref_in_titles as boolean | undefined) ?? false;
        if (before.rows[0] && from === residentRefInTitles) return;
        await client.query(
          `INSERT INTO calendar_settings (org_id, resident_ref_in_titles, updated_at, updated_by) VALUES ($1, $2, now(), $3)
           ON CONFLICT (org_id) DO UPDATE SET resident_ref_in_titles = EXCLUDED.resident_ref_in_titles,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
          [orgId, residentRefInTitles, actor.sub],
        );
        if (from !== residentRefInTitles)
          await recordOrganisationEvent(client, orgId, actor, 'organisation.calendar-settings-changed', {
            residentRefInTitles: { from, to: residentRefInTitles },
          });
      });
    },

    /** The stays, meetings and open deadlines a feed shows. */
    async content(
      feed: FeedOwner,
      nowMs: number,
    ): Promise<{ stays: CalendarStay[]; meetings: CalendarMeeting[]; deadlines: CalendarDeadline[] }> {
      const scope =
        feed.ownerRole === 'institution'
          ? 's.institution_id = $1'
          : `(s.bydel_id = $1 OR (s.status = 'active' AND s.transition->'housingOffered'->>'receivingBydelId' = $1
               AND ${OFFER_STILL_OPEN}))`;
      // "mine beboere": the stays where the owner is a contact or follows a milestone up ("Ta saken")
      const mine =
        feed.kind === 'user'
          ? `AND (EXISTS (SELECT 1 FROM stay_contacts c WHERE c.stay_id = s.id AND c.user_id = $2)
               OR EXISTS (SELECT 1 FROM stay_milestone_assignees a WHERE a.stay_id = s.id AND a.assigned_to = $2))`
          : 'AND $2::text IS NOT NULL';
      // a milestone the owner took is theirs to follow up, whichever party answers for it
      const taken =
        feed.kind === 'user'
          ? `OR EXISTS (SELECT 1 FROM stay_milestone_assignees a
                         WHERE a.stay_id = ms.stay_id AND a.milestone = ms.key AND a.assigned_to = $2)`
          : '';
      const where = `${scope} ${mine} AND s.anonymised_at IS NULL AND s.status <> 'completed'`;
      const since = osloDate(nowMs - LOOK_BACK_DAYS * 86_400_000);
      const [stays, meetings, deadlines] = await Promise.all([
        pool.query(`SELECT s.id, s.resident_ref, s.institution_id, s.bydel_id FROM stays s WHERE ${where}`, [
          feed.orgId,
          feed.ownerSub,
        ]),
        pool.query(
          `SELECT m.id, m.stay_id, m.milestone, m.planned_at, m.duration_minutes, m.place, m.video_link, m.moves, m.updated_at
             FROM stay_meetings m JOIN stays s ON s.id = m.stay_id
            WHERE ${where} AND m.status IN ('planned', 'held') AND m.planned_at >= $3::date
            ORDER BY m.planned_at`,
          [feed.orgId, feed.ownerSub, since],
        ),
        pool.query(
          `SELECT ms.stay_id, ms.key, ms.due_date FROM stay_milestones ms JOIN stays s ON s.id = ms.stay_id
            WHERE ${where} AND ms.done_at IS NULL AND ms.applicable AND NOT ms.recurring AND ms.due_date >= $3::date
              AND (ms.responsible IN ($4, 'both') ${taken})
            ORDER BY ms.due_date`,
          [feed.orgId, feed.ownerSub, since, feed.ownerRole],
        ),
      ]);
      return {
        stays: stays.rows.map((r) => ({
          id: r.id,
          residentRef: r.resident_ref,
          institutionId: r.institution_id,
          bydelId: r.bydel_id,
        })),
        meetings: meetings.rows.map((r) => ({
          id: r.id,
          stayId: r.stay_id,
          milestone: r.milestone,
          start: r.planned_at,
          durationMinutes: r.duration_minutes,
          place: r.place,
          videoLink: r.video_link,
          moves: r.moves,
          updatedAt: r.updated_at,
        })),
        deadlines: deadlines.rows.map((r) => ({ stayId: r.stay_id, milestone: r.key, dueDate: r.due_date })),
      };
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    calendarFeeds: ReturnType<typeof createCalendarFeeds>;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('calendarFeeds', createCalendarFeeds(opts.pool));
  },
  { name: 'calendar-feeds' },
);
