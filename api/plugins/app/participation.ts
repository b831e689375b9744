import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../../config/database';
import {
  CONSENT_SECTION,
  consentState,
  daysLeft,
  RELATIVES_SECTION,
  reminderDueOn,
  type ConsentRecord,
} from '../../../rules/consent';
import type { Attendance, MeetingMilestone } from '../../../rules/meeting-flags';
import { osloLocal } from '../../../rules/oslo-time';
import type {
  Consent,
  ConsentBody,
  ConsentReminder,
  Participation,
  Relatives,
  RelativesBody,
} from '../../../schemas/participation';
import type { Caller } from './auth';
import { appendStayAudit } from './stay-audit';

type ConsentRow = {
  consent_id: string;
  given: boolean;
  answered_on: string;
  valid_until: string | null;
  withdrawn_on: string | null;
  updated_at: Date;
};

type RelativesRow = { involvement: Relatives['involvement']; agreed_on: string; updated_at: Date };

const recordOf = (r: ConsentRow): ConsentRecord => ({
  given: r.given,
  date: r.answered_on,
  validUntil: r.valid_until,
  withdrawnOn: r.withdrawn_on,
});

export function toConsent(r: ConsentRow, today: string): Consent {
  const c = recordOf(r);
  const live = c.given && !c.withdrawnOn && c.validUntil;
  return {
    id: r.consent_id,
    ...c,
    state: consentState(c, today),
    daysLeft: live ? daysLeft(c.validUntil!, today) : null,
    reminderOn: live ? reminderDueOn(c.validUntil!) : null,
    updatedAt: r.updated_at.toISOString(),
  };
}

const toRelatives = (r: RelativesRow): Relatives => ({
  involvement: r.involvement,
  date: r.agreed_on,
  updatedAt: r.updated_at.toISOString(),
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function consentOn(client: Pool | PoolClient, stayId: string): Promise<ConsentRow | null> {
  const rows = await client.query<ConsentRow>(
    'SELECT consent_id, given, answered_on, valid_until, withdrawn_on, updated_at FROM stay_consents WHERE stay_id = $1',
    [stayId],
  );
  return rows.rows[0] ?? null;
}

async function relativesOn(client: Pool | PoolClient, stayId: string): Promise<RelativesRow | null> {
  const rows = await client.query<RelativesRow>(
    'SELECT involvement, agreed_on, updated_at FROM stay_relatives WHERE stay_id = $1',
    [stayId],
  );
  return rows.rows[0] ?? null;
}

/** One change of a stay's record at a time: the second sees the first one's result as "before". */
const lockStay = (client: PoolClient, what: string, stayId: string) =>
  client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [what, stayId]);

const REMINDER_STATE_SQL = `CASE
  WHEN c.consent_id IS DISTINCT FROM r.consent_id OR c.valid_until IS DISTINCT FROM r.valid_until
    OR c.withdrawn_on IS NOT NULL OR s.status <> 'active' THEN 'resolved'
  WHEN r.acknowledged_at IS NOT NULL THEN 'acknowledged'
  ELSE 'open' END`;

const REMINDER_FROM_SQL = `FROM consent_reminders r
  JOIN stays s ON s.id = r.stay_id
  LEFT JOIN stay_consents c ON c.stay_id = r.stay_id`;

const toReminder = (r: Record<string, unknown>): ConsentReminder => ({
  id: r.id as string,
  stayId: r.stay_id as string,
  residentRef: r.resident_ref as string,
  consentId: r.consent_id as string,
  validUntil: r.valid_until as string,
  institutionId: r.institution_id as string,
  raisedAt: (r.raised_at as Date).toISOString(),
  state: r.state as ConsentReminder['state'],
  acknowledgedAt: r.acknowledged_at ? (r.acknowledged_at as Date).toISOString() : null,
});

/** Reminders go to the institution (it holds the consent form); administrators see all. */
function addressedTo(caller: Caller, params: unknown[]): string {
  if (caller.role === 'admin') return 'TRUE';
  if (caller.role !== 'institution') return 'FALSE';
  params.push(caller.org);
  return `r.institution_id = $${params.length}`;
}

/**
 * Consent, relatives and the resident's presence at meetings (stay_consents, stay_relatives, stay_meetings). Every
 * change is one transaction with its audit entry in the stay's trail (before → after); a change that changes nothing
 * writes nothing.
 */
export function createParticipation(pool: Pool) {
  async function getReminder(caller: Caller, id: string): Promise<ConsentReminder | null> {
    const params: unknown[] = [id];
    const rows = await pool.query(
      `SELECT r.*, s.resident_ref, ${REMINDER_STATE_SQL} AS state ${REMINDER_FROM_SQL} WHERE r.id = $1 AND ${addressedTo(caller, params)}`,
      params,
    );
    return rows.rows[0] ? toReminder(rows.rows[0]) : null;
  }

  return {
    async consent(stayId: string, today: string): Promise<Consent | null> {
      const row = await consentOn(pool, stayId);
      return row ? toConsent(row, today) : null;
    },

    async relatives(stayId: string): Promise<Relatives | null> {
      const row = await relativesOn(pool, stayId);
      return row ? toRelatives(row) : null;
    },

    /**
     * Records the resident's answer. Another date or yes ↔ no is a new consent (a new id: its reminder is due
     * anew); a new end date or a withdrawal changes the same consent.
     */
    async putConsent(stayId: string, caller: Caller, body: ConsentBody, today: string): Promise<Consent> {
      return withTransaction(pool, async (client) => {
        await lockStay(client, 'stay-consent', stayId);
        const before = await consentOn(client, stayId);
        const next: ConsentRecord = {
          given: body.given,
          date: body.date,
          validUntil: body.validUntil ?? null,
          withdrawnOn: body.withdrawnOn ?? null,
        };
        const prev = before ? recordOf(before) : null;
        if (before && same(prev, next)) return toConsent(before, today);
        const sameConsent = before && prev!.given === next.given && prev!.date === next.date;
        const consentId = sameConsent ? before.consent_id : randomUUID();
        const saved = await client.query<ConsentRow>(
          `INSERT INTO stay_consents (stay_id, consent_id, given, answered_on, valid_until, withdrawn_on)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (stay_id) DO UPDATE SET consent_id = EXCLUDED.consent_id, given = EXCLUDED.given,
             answered_on = EXCLUDED.answered_on, valid_until = EXCLUDED.valid_until,
             withdrawn_on = EXCLUDED.withdrawn_on, updated_at = now()
           RETURNING consent_id, given, answered_on, valid_until, withdrawn_on, updated_at`,
          [stayId, consentId, next.given, next.date, next.validUntil, next.withdrawnOn],
        );
        const action = !prev
          ? 'consent.recorded'
          : !sameConsent
            ? 'consent.renewed'
            : next.withdrawnOn && !prev.withdrawnOn
              ? 'consent.withdrawn'
              : 'consent.updated';
        await appendStayAudit(client, {
          stayId,
          caller,
          action,
          details: { section: CONSENT_SECTION, before: prev, after: next },
        });
        return toConsent(saved.rows[0]!, today);
      });
    },

    async putRelatives(stayId: string, caller: Caller, body: RelativesBody): Promise<Relatives> {
      return withTransaction(pool, async (client) => {
        await lockStay(client, 'stay-relatives', stayId);
        const before = await relativesOn(client, stayId);
        const prev = before ? { involvement: before.involvement, date: before.agreed_on } : null;
        const next = { involvement: body.involvement, date: body.date };
        if (before && same(prev, next)) return toRelatives(before);
        const saved = await client.query<RelativesRow>(
          `INSERT INTO stay_relatives (stay_id, involvement, agreed_on) VALUES ($1, $2, $3)
           ON CONFLICT (stay_id) DO UPDATE SET involvement = EXCLUDED.involvement, agreed_on = EXCLUDED.agreed_on,
             updated_at = now()
           RETURNING involvement, agreed_on, updated_at`,
          [stayId, next.involvement, next.date],
        );
        await appendStayAudit(client, {
          stayId,
          caller,
          action: 'relatives.updated',
          details: { section: RELATIVES_SECTION, before: prev, after: next },
        });
        return toRelatives(saved.rows[0]!);
      });
    },

    /** Consent, relatives, and the resident's presence at the held meetings (their recorded attendance). */
    async participation(stayId: string, today: string): Promise<Participation> {
      const [consent, relatives, held] = await Promise.all([
        consentOn(pool, stayId),
        relativesOn(pool, stayId),
        pool.query<{ id: string; milestone: MeetingMilestone; planned_at: Date; attendance: Attendance | null }>(
          `SELECT id, milestone, planned_at, attendance FROM stay_meetings
           WHERE stay_id = $1 AND status = 'held' ORDER BY planned_at, id`,
          [stayId],
        ),
      ]);
      const meetings = held.rows.map((m) => ({
        meetingId: m.id,
        milestone: m.milestone,
        plannedAt: osloLocal(m.planned_at.getTime()),
        resident: m.attendance?.resident === true,
        relatives: m.attendance?.relatives === true,
      }));
      return {
        consent: consent ? toConsent(consent, today) : null,
        relatives: relatives ? toRelatives(relatives) : null,
        presence: {
          held: meetings.length,
          residentPresent: meetings.filter((m) => m.resident).length,
          relativesPresent: meetings.filter((m) => m.relatives).length,
          meetings,
        },
      };
    },

    async reminders(
      caller: Caller,
      f: { states: ConsentReminder['state'][]; stayId?: string; limit: number; offset: number },
    ) {
      const params: unknown[] = [];
      const where = [addressedTo(caller, params)];
      if (f.stayId) {
        params.push(f.stayId);
        where.push(`r.stay_id = $${params.length}`);
      }
      const base = `SELECT r.*, s.resident_ref, ${REMINDER_STATE_SQL} AS state ${REMINDER_FROM_SQL} WHERE ${where.join(' AND ')}`;
      const n = params.length;
      const rows = await pool.query(
        `SELECT x.*, count(*) OVER ()::int AS total FROM (${base}) x WHERE state = ANY($${n + 1})
         ORDER BY valid_until, id LIMIT $${n + 2} OFFSET $${n + 3}`,
        [...params, f.states, f.limit, f.offset],
      );
      return {
        items: rows.rows.map(toReminder),
        total: (rows.rows[0]?.total as number | undefined) ?? 0,
        limit: f.limit,
        offset: f.offset,
      };
    },

    /** Idempotent: acknowledging twice keeps the first acknowledgement. */
    async acknowledgeReminder(caller: Caller, id: string): Promise<ConsentReminder | null> {
      const found = await getReminder(caller, id);
      if (!found) return null;
      await pool.query(
        'UPDATE consent_reminders SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL',
        [id, caller.sub],
      );
      return getReminder(caller, id);
    },
  };
}

export type ParticipationRepository = ReturnType<typeof createParticipation>;

declare module 'fastify' {
  interface FastifyInstance {
    participation: ParticipationRepository;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('participation', createParticipation(opts.pool));
  },
  { name: 'participation' },
);
