import type { Pool } from 'pg';
import { monthsOf, READMISSION_WINDOW, roundDays } from '../../rules/report-definitions';
import type { IsoDate } from '../../rules/types';
import type { OutcomeFigures, OutcomeGroupBy, OutcomeReport } from '../../schemas/reports';
import type { Scope } from '../plugins/app/auth';

export type OutcomeFilters = { from: IsoDate; to: IsoDate; institutionId?: string; bydelId?: string };

const GROUP_KEY: Record<OutcomeGroupBy, string> = {
  institution: 'b.institution_id',
  bydel: 'b.bydel_id',
  month: "to_char(b.admitted_at, 'YYYY-MM')",
};

type Row = {
  key: string | null;
  grouped: number;
  stays: number;
  ended: number;
  housing_offered: number;
  moved_in: number;
  readmissions: number;
} & Record<`${'los' | 'offer' | 'move_in'}_${'p25' | 'p50' | 'p75'}`, number | null>;

const EMPTY: OutcomeFigures = {
  stays: 0,
  ended: 0,
  housingOffered: 0,
  movedIn: 0,
  lengthOfStayDaysMedian: null,
  lengthOfStayDaysP25: null,
  lengthOfStayDaysP75: null,
  daysToHousingOfferMedian: null,
  daysToHousingOfferP25: null,
  daysToHousingOfferP75: null,
  daysOfferToMoveInMedian: null,
  daysOfferToMoveInP25: null,
  daysOfferToMoveInP75: null,
  readmissionsWithin12Months: 0,
};

const figuresOf = (r: Row): OutcomeFigures => ({
  stays: r.stays,
  ended: r.ended,
  housingOffered: r.housing_offered,
  movedIn: r.moved_in,
  lengthOfStayDaysMedian: roundDays(r.los_p50),
  lengthOfStayDaysP25: roundDays(r.los_p25),
  lengthOfStayDaysP75: roundDays(r.los_p75),
  daysToHousingOfferMedian: roundDays(r.offer_p50),
  daysToHousingOfferP25: roundDays(r.offer_p25),
  daysToHousingOfferP75: roundDays(r.offer_p75),
  daysOfferToMoveInMedian: roundDays(r.move_in_p50),
  daysOfferToMoveInP25: roundDays(r.move_in_p25),
  daysOfferToMoveInP75: roundDays(r.move_in_p75),
  readmissionsWithin12Months: r.readmissions,
});

const quartiles = (days: string, name: string) =>
  (['p25', 'p50', 'p75'] as const)
    .map((p) => `percentile_cont(${Number(p.slice(1)) / 100}) WITHIN GROUP (ORDER BY ${days}) AS ${name}_${p}`)
    .join(',\n');

/**
 * Do people get home sooner: how long stays last and how long residents wait for housing, for the stays admitted in
 * the period, from the read model's stays and their §3 events (rules/report-definitions.ts for the readmission).
 */
export function createOutcomeReport(pool: Pool) {
  return {
    async report(scope: Scope, groupBy: OutcomeGroupBy, filters: OutcomeFilters): Promise<OutcomeReport> {
      const params: unknown[] = [filters.from, filters.to, READMISSION_WINDOW.months ?? 0];
      const conditions: string[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        conditions.push(sql.replaceAll('?', `$${params.length}`));
      };
      if (scope.institutionId) add('s.institution_id = ?', scope.institutionId);
      if (scope.bydelId) add('s.bydel_id = ?', scope.bydelId);
      if (filters.institutionId) add('s.institution_id = ?', filters.institutionId);
      if (filters.bydelId) add('s.bydel_id = ?', filters.bydelId);
      const key = GROUP_KEY[groupBy];
      // A readmitting stay may be at any institution, in or out of the caller's scope: only the count is shown.
      const result = await pool.query<Row>(
        `WITH base AS (
           SELECT s.id, s.institution_id, s.bydel_id, s.admitted_at, s.resident_ref, s.anonymised_at,
                  COALESCE((s.transition->>'dischargedOn')::date, (s.transition->'endedEarly'->>'date')::date) AS ended_on,
                  (s.transition->'housingOffered'->>'date')::date AS offered_on,
                  (s.transition->>'movedInOn')::date AS moved_in_on
             FROM stays s
            WHERE s.admitted_at BETWEEN $1::date AND $2::date ${conditions.map((c) => `AND ${c}`).join(' ')}
         ),
         measured AS (
           SELECT b.*, b.ended_on - b.admitted_at AS los, b.offered_on - b.admitted_at AS offer,
                  b.moved_in_on - b.offered_on AS move_in,
                  b.ended_on IS NOT NULL AND (
                    EXISTS (SELECT 1 FROM stays n WHERE n.previous_stay_id = b.id)
                    OR (b.anonymised_at IS NULL AND EXISTS (
                      SELECT 1 FROM stays n
                       WHERE n.resident_ref = b.resident_ref AND n.id <> b.id AND n.anonymised_at IS NULL
                         AND n.admitted_at >= b.ended_on
                         AND n.admitted_at <= (b.ended_on + make_interval(months => $3::int))::date))
                  ) AS readmitted
             FROM base b
         )
         SELECT ${key} AS key, GROUPING(${key}) AS grouped,
                count(*)::int AS stays, count(b.ended_on)::int AS ended, count(b.offered_on)::int AS housing_offered,
                count(b.moved_in_on)::int AS moved_in, count(*) FILTER (WHERE b.readmitted)::int AS readmissions,
                ${quartiles('b.los', 'los')},
                ${quartiles('b.offer', 'offer')},
                ${quartiles('b.move_in', 'move_in')}
           FROM measured b
          GROUP BY GROUPING SETS ((${key}), ())`,
        params,
      );
      const byKey = new Map<string, OutcomeFigures>();
      let total = EMPTY;
      for (const r of result.rows) {
        if (r.grouped === 1) total = figuresOf(r);
        else byKey.set(r.key!, figuresOf(r));
      }
      const keys = groupBy === 'month' ? monthsOf(filters.from, filters.to) : [...byKey.keys()].sort();
      return {
        from: filters.from,
        to: filters.to,
        groupBy,
        rows: keys.map((k) => ({ key: k, ...(byKey.get(k) ?? EMPTY) })),
        total,
      };
    },
  };
}

export type OutcomeReportRepository = ReturnType<typeof createOutcomeReport>;
