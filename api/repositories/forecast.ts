import type { Pool } from 'pg';
import { addOffset } from '../../rules/oslo-calendar';
import { compareForecast, FORECAST, forecastRanking } from '../../rules/report-definitions';
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

/**
 * Which deadlines may be missed next: every open deadline of the caller's stays due from today to the horizon with
 * nothing recorded and no meeting planned for it by its due date, ranked by how late the organisation responsible
 * for it usually is with that milestone (its decided deadlines over the look-back; for a shared one, the later of
 * institution and bydel). The selection is the SQL function forecast_deadlines (migration 0051), which the weekly
 * digest (activities/notifications/forecast-digest.ts) calls too; the ranking is rules/report-definitions.ts.
 */
export function createForecast(pool: Pool, today: () => IsoDate) {
  return {
    async forecast(scope: Scope, days: number = FORECAST.horizonDays): Promise<Forecast> {
      const asOf = today();
      const until = addOffset(asOf, { days });
      const rows = await reportQuery<Row>(pool, {
        text: 'SELECT * FROM forecast_deadlines($1::date, $2::date, $3::date, $4, $5)',
        values: [asOf, until, addOffset(asOf, FORECAST.lookBack), scope.institutionId ?? null, scope.bydelId ?? null],
      });
      const items = rows.map((r): ForecastItem => {
        const { lateShare, decided, risk } = forecastRanking({
          stayId: r.stay_id,
          milestone: r.key,
          dueDate: r.due_date,
          responsible: r.responsible,
          institution: { late: r.institution_late ?? 0, decided: r.institution_decided ?? 0 },
          bydel: { late: r.bydel_late ?? 0, decided: r.bydel_decided ?? 0 },
        });
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
          risk,
        };
      });
      items.sort(compareForecast);
      return { asOf, until, items };
    },
  };
}
