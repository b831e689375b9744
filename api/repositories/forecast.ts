import type { Pool } from 'pg';
import { addOffset } from '../../rules/oslo-calendar';
import { DEADLINE_KEYS, FORECAST, onTimeShare } from '../../rules/report-definitions';
import type { IsoDate, MilestoneKey, Party } from '../../rules/types';
import type { Forecast, ForecastItem } from '../../schemas/reports';
import type { Scope } from '../plugins/app/auth';
import { reportQuery } from './report-session';

type Row = {
  stay_id: string;
  resident_ref: string;
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

type LateRecord = { late: number; decided: number; lateShare: number | null };

const recordOf = (late: number | null, decided: number | null): LateRecord => {
  const onTime = onTimeShare((decided ?? 0) - (late ?? 0), late ?? 0);
  return {
    late: late ?? 0,
    decided: decided ?? 0,
    lateShare: onTime === null ? null : Math.round((1 - onTime) * 10_000) / 10_000,
  };
};

/** For a deadline both share (§4), the organisation with the worse record is the one to watch. */
function recordFor(r: Row): LateRecord {
  const institution = recordOf(r.institution_late, r.institution_decided);
  const bydel = recordOf(r.bydel_late, r.bydel_decided);
  if (r.responsible === 'institution') return institution;
  if (r.responsible === 'bydel') return bydel;
  return (bydel.lateShare ?? -1) > (institution.lateShare ?? -1) ? bydel : institution;
}

/**
 * Which deadlines may be missed next: every open deadline of the caller's stays due from today to the horizon with
 * nothing recorded, ranked by how late the organisation responsible for it usually is with that milestone (its
 * decided deadlines over the look-back; for a shared one, the later of institution and bydel).
 */
export function createForecast(pool: Pool, today: () => IsoDate) {
  return {
    async forecast(scope: Scope, days: number = FORECAST.horizonDays): Promise<Forecast> {
      const asOf = today();
      const until = addOffset(asOf, { days });
      const params: unknown[] = [asOf, until, addOffset(asOf, FORECAST.lookBack)];
      const conditions: string[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        conditions.push(sql.replaceAll('?', `$${params.length}`));
      };
      if (scope.institutionId) add('m.institution_id = ?', scope.institutionId);
      if (scope.bydelId) add('m.bydel_id = ?', scope.bydelId);
      const history = (org: 'institution_id' | 'bydel_id') => `
        SELECT h.${org} AS org, h.key, count(*) FILTER (WHERE h.done_at > h.due_date OR (h.done_at IS NULL AND h.due_date < $1::date))::int AS late,
               count(*) FILTER (WHERE h.done_at IS NOT NULL OR h.due_date < $1::date)::int AS decided
          FROM stay_milestones h
         WHERE h.escalates AND h.key <> 'extra-status-report' AND h.due_date >= $3::date AND h.due_date < $1::date AND (h.applicable OR h.done_at IS NOT NULL)
           AND h.${org} IN (SELECT ${org} FROM upcoming)
         GROUP BY 1, 2`;
      const rows = await reportQuery<Row>(pool, {
        text: `WITH upcoming AS (
            SELECT m.stay_id, m.key, m.due_date, m.responsible, m.institution_id, m.bydel_id
              FROM stay_milestones m JOIN stays s ON s.id = m.stay_id
             WHERE m.escalates AND m.applicable AND m.done_at IS NULL AND s.status <> 'completed'
               AND m.due_date BETWEEN $1::date AND $2::date ${conditions.map((c) => `AND ${c}`).join(' ')}
          ),
          by_institution AS (${history('institution_id')}),
          by_bydel AS (${history('bydel_id')})
          SELECT u.stay_id, s.resident_ref, u.institution_id, u.bydel_id, u.key, u.due_date, u.responsible,
                 i.late AS institution_late, i.decided AS institution_decided,
                 b.late AS bydel_late, b.decided AS bydel_decided
            FROM upcoming u JOIN stays s ON s.id = u.stay_id
                 LEFT JOIN by_institution i ON i.org = u.institution_id AND i.key = u.key
                 LEFT JOIN by_bydel b ON b.org = u.bydel_id AND b.key = u.key`,
        values: params,
      });
      const items = rows.map((r): ForecastItem => {
        const { lateShare, decided } = recordFor(r);
        return {
          stayId: r.stay_id,
          residentRef: r.resident_ref,
          institutionId: r.institution_id,
          bydelId: r.bydel_id,
          milestone: r.key,
          dueDate: r.due_date,
          responsible: r.responsible,
          lateShare,
          decided,
          risk:
            lateShare === null
              ? 'no-history'
              : lateShare >= FORECAST.lateShare && decided >= FORECAST.minDecided
                ? 'likely-late'
                : 'usual',
        };
      });
      items.sort(
        (a, b) =>
          (b.lateShare ?? -1) - (a.lateShare ?? -1) ||
          a.dueDate.localeCompare(b.dueDate) ||
          a.stayId.localeCompare(b.stayId) ||
          DEADLINE_KEYS.indexOf(a.milestone) - DEADLINE_KEYS.indexOf(b.milestone),
      );
      return { asOf, until, items };
    },
  };
}
