import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { withTransaction } from '../../config/database';
import { addOffset } from '../../rules/oslo-calendar';
import { compareForecast, FORECAST, forecastRanking, type ForecastRisk } from '../../rules/report-definitions';
import type { IsoDate, MilestoneKey, Party } from '../../rules/types';

/** One deadline of a weekly digest, as stored: which stay, milestone and date; nothing about the person. */
export type ForecastDigestItem = {
  stayId: string;
  institutionId: string;
  bydelId: string;
  milestone: MilestoneKey;
  dueDate: IsoDate;
  responsible: Party;
  lateShare: number | null;
  decided: number;
  risk: ForecastRisk;
};

/** The ISO week of an Oslo date, as the digest is keyed: 2026-W49. */
export const isoWeekOf = (date: IsoDate): string =>
  DateTime.fromISO(date, { zone: 'Europe/Oslo' }).toFormat("kkkk-'W'WW");

type Row = {
  stay_id: string;
  institution_id: string;
  bydel_id: string;
  key: MilestoneKey;
  due_date: IsoDate;
  responsible: Party;
  institution_late: number | null;
  institution_decided: number | null;
  bydel_late: number | null;
  bydel_decided: number | null;
};

/**
 * The weekly forecast digest (issue 17 point 4), driven by forecastDigestWorkflow: for every organisation that has
 * someone to tell (an e-mail recipient or a webhook), the forecast of its own stays — the same selection
 * (forecast_deadlines) and ranking (rules/report-definitions.ts) as GET /api/reports/forecast with its scope — put
 * into the notification outbox, where the dispatcher delivers it like every other notification.
 */
export const createForecastDigestActivities = (pool: Pool) => ({
  /**
   * Makes this ISO week's digests. Exactly once per organisation and week: the digest row is unique by (organisation,
   * week) and its outbox rows are inserted in the same transaction, so a retried activity, a restarted worker or a
   * second run in the same week adds nothing. An organisation with nothing due gets a digest row without items and no
   * outbox row: nothing is sent, and nothing is sent later that week either.
   */
  async enqueueForecastDigests(input: { now: string }): Promise<{ week: string; made: number; sent: number }> {
    const asOf = DateTime.fromISO(input.now, { zone: 'utc' }).setZone('Europe/Oslo').toISODate()!;
    const until = addOffset(asOf, { days: FORECAST.horizonDays });
    const week = isoWeekOf(asOf);
    // Bydeler are all in the register; an institution id comes from the token and may not be (README).
    const orgs = await pool.query<{ org_id: string; kind: 'institution' | 'bydel' }>(
      `SELECT t.org_id, COALESCE(o.kind, 'institution') AS kind
         FROM (SELECT org_id FROM notification_recipients UNION SELECT org_id FROM notification_settings WHERE webhook_url IS NOT NULL) t
         LEFT JOIN organisations o ON o.id = t.org_id
        WHERE COALESCE(o.active, true)
          AND NOT EXISTS (SELECT 1 FROM forecast_digests d WHERE d.org_id = t.org_id AND d.iso_week = $1)
        ORDER BY t.org_id`,
      [week],
    );
    let made = 0;
    let sent = 0;
    for (const org of orgs.rows) {
      const rows = await pool.query<Row>('SELECT * FROM forecast_deadlines($1::date, $2::date, $3::date, $4, $5)', [
        asOf,
        until,
        addOffset(asOf, FORECAST.lookBack),
        org.kind === 'institution' ? org.org_id : null,
        org.kind === 'bydel' ? org.org_id : null,
      ]);
      const items = rows.rows
        .map(
          (r): ForecastDigestItem => ({
            stayId: r.stay_id,
            institutionId: r.institution_id,
            bydelId: r.bydel_id,
            milestone: r.key,
            dueDate: r.due_date,
            responsible: r.responsible,
            ...forecastRanking({
              stayId: r.stay_id,
              milestone: r.key,
              dueDate: r.due_date,
              responsible: r.responsible,
              institution: { late: r.institution_late ?? 0, decided: r.institution_decided ?? 0 },
              bydel: { late: r.bydel_late ?? 0, decided: r.bydel_decided ?? 0 },
            }),
          }),
        )
        .sort(compareForecast);
      const queued = await withTransaction(pool, async (client) => {
        const digest = await client.query<{ id: string }>(
          `INSERT INTO forecast_digests (org_id, iso_week, as_of, until, items) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT ON CONSTRAINT forecast_digests_once DO NOTHING RETURNING id`,
          [org.org_id, week, asOf, until, JSON.stringify(items)],
        );
        const id = digest.rows[0]?.id;
        if (!id) return null;
        if (items.length === 0) return 0;
        const outbox = await client.query(
          `INSERT INTO notification_outbox (forecast_digest_id, channel, recipient, org_id, mode)
           SELECT $1::uuid, 'email', r.email, r.org_id, 'immediate' FROM notification_recipients r WHERE r.org_id = $2
           UNION ALL
           SELECT $1::uuid, 'webhook', s.org_id, s.org_id, 'immediate' FROM notification_settings s
            WHERE s.org_id = $2 AND s.webhook_url IS NOT NULL
           ON CONFLICT ON CONSTRAINT notification_outbox_forecast_once DO NOTHING`,
          [id, org.org_id],
        );
        return outbox.rowCount ?? 0;
      });
      if (queued === null) continue;
      made += 1;
      if (queued > 0) sent += 1;
    }
    return { week, made, sent };
  },
});

export type ForecastDigestActivities = ReturnType<typeof createForecastDigestActivities>;
