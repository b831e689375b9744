import type { Pool } from 'pg';
import {
  addCounts,
  type DayCounts,
  monthsOf,
  percentileOfCounts,
  READMISSION_WINDOW,
} from '../../rules/report-definitions';
import type { IsoDate } from '../../rules/types';
import type { OutcomeFigures, OutcomeGroupBy, OutcomeReport } from '../../schemas/reports';
import type { Scope } from '../plugins/app/auth';
import { reportQuery } from './report-session';

export type OutcomeFilters = { from: IsoDate; to: IsoDate; institutionId?: string; bydelId?: string };

const GROUP_KEY: Record<OutcomeGroupBy, string> = {
  institution: 'b.institution_id',
  bydel: 'b.bydel_id',
  month: "to_char(b.admitted_at, 'YYYY-MM')",
};

/**
 * Per group: how many stays had each duration, of how many days (null: not reached), and how many were readmitted
 * (`readmitted`, days 1) or not (0). What the database sends back.
 */
type CountRow = { key: string; measure: 'los' | 'offer' | 'moveIn' | 'readmitted'; days: number | null; n: number };

type Tally = Record<CountRow['measure'] | 'stays', DayCounts>;

const newTally = (): Tally => ({
  stays: new Map(),
  los: new Map(),
  offer: new Map(),
  moveIn: new Map(),
  readmitted: new Map(),
});

const sum = (counts: DayCounts) => [...counts.values()].reduce((a, n) => a + n, 0);

const figuresOf = (t: Tally): OutcomeFigures => ({
  stays: sum(t.stays),
  ended: sum(t.los),
  housingOffered: sum(t.offer),
  movedIn: sum(t.moveIn),
  lengthOfStayDaysMedian: percentileOfCounts(t.los, 0.5),
  lengthOfStayDaysP25: percentileOfCounts(t.los, 0.25),
  lengthOfStayDaysP75: percentileOfCounts(t.los, 0.75),
  daysToHousingOfferMedian: percentileOfCounts(t.offer, 0.5),
  daysToHousingOfferP25: percentileOfCounts(t.offer, 0.25),
  daysToHousingOfferP75: percentileOfCounts(t.offer, 0.75),
  daysOfferToMoveInMedian: percentileOfCounts(t.moveIn, 0.5),
  daysOfferToMoveInP25: percentileOfCounts(t.moveIn, 0.25),
  daysOfferToMoveInP75: percentileOfCounts(t.moveIn, 0.75),
  readmissionsWithin12Months: sum(t.readmitted),
});

/**
 * The report's one query (exported for the benchmark's EXPLAIN ANALYZE): per group, the stays counted by each
 * duration's number of days and by readmission (hash aggregates over grouping sets; the medians and quartiles are
 * taken from these counts).
 *
 * Readmission (rules/report-definitions.ts): a stay linked by previousStayId, or a later stay of the same resident
 * reference admitted within the window from the end. The later stay is found with one pass over the stays of those
 * references in admission order: the next admission after this one. Only when that next stay began before this one
 * ended (overlapping stays), or this one ended the day it began (a stay admitted the same day may sort before it), is
 * the reference probed for any stay in the window.
 */
export function outcomeReportQuery(
  scope: Scope,
  groupBy: OutcomeGroupBy,
  filters: OutcomeFilters,
): { text: string; values: unknown[] } {
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
  // A readmitting stay may be at any institution, in or out of the caller's scope: only the count is shown.
  return {
    text: `WITH base AS (
        SELECT e.*, (e.ended_on + make_interval(months => $3::int))::date AS window_end
          FROM (SELECT s.id, s.institution_id, s.bydel_id, s.admitted_at, s.resident_ref, s.anonymised_at,
                       COALESCE((s.transition->>'dischargedOn')::date, (s.transition->'endedEarly'->>'date')::date) AS ended_on,
                       (s.transition->'housingOffered'->>'date')::date AS offered_on,
                       (s.transition->>'movedInOn')::date AS moved_in_on
                  FROM stays s
                 WHERE s.admitted_at BETWEEN $1::date AND $2::date ${conditions.map((c) => `AND ${c}`).join(' ')}) e
      ),
      next_admission AS (
        SELECT s.id, lead(s.admitted_at) OVER (PARTITION BY s.resident_ref ORDER BY s.admitted_at) AS admitted_at
          FROM stays s
         WHERE s.anonymised_at IS NULL
           AND s.resident_ref IN (SELECT resident_ref FROM base WHERE ended_on IS NOT NULL AND anonymised_at IS NULL)
      ),
      measured AS (
        SELECT ${GROUP_KEY[groupBy]} AS key, b.ended_on - b.admitted_at AS los, b.offered_on - b.admitted_at AS offer,
               b.moved_in_on - b.offered_on AS move_in,
               CASE WHEN b.ended_on IS NULL THEN false
                    WHEN b.id IN (SELECT previous_stay_id FROM stays WHERE previous_stay_id IS NOT NULL) THEN true
                    WHEN b.anonymised_at IS NOT NULL THEN false
                    WHEN nx.admitted_at >= b.ended_on AND nx.admitted_at <= b.window_end THEN true
                    WHEN nx.admitted_at < b.ended_on OR b.ended_on = b.admitted_at THEN EXISTS (
                      SELECT 1 FROM stays n
                       WHERE n.resident_ref = b.resident_ref AND n.id <> b.id AND n.anonymised_at IS NULL
                         AND n.admitted_at BETWEEN b.ended_on AND b.window_end)
                    ELSE false END AS readmitted
          FROM base b LEFT JOIN next_admission nx ON nx.id = b.id
      )
      SELECT b.key, CASE GROUPING(b.los, b.offer, b.move_in, b.readmitted)
                      WHEN 7 THEN 'los' WHEN 11 THEN 'offer' WHEN 13 THEN 'moveIn' ELSE 'readmitted' END AS measure,
             CASE GROUPING(b.los, b.offer, b.move_in, b.readmitted)
                  WHEN 7 THEN b.los WHEN 11 THEN b.offer WHEN 13 THEN b.move_in ELSE b.readmitted::int END AS days,
             count(*)::int AS n
        FROM measured b
       GROUP BY GROUPING SETS ((b.key, b.los), (b.key, b.offer), (b.key, b.move_in), (b.key, b.readmitted))`,
    values: params,
  };
}

/**
 * Do people get home sooner: how long stays last and how long residents wait for housing, for the stays admitted in
 * the period, from the read model's stays and their §3 events.
 */
export function createOutcomeReport(pool: Pool) {
  return {
    async report(scope: Scope, groupBy: OutcomeGroupBy, filters: OutcomeFilters): Promise<OutcomeReport> {
      const rows = await reportQuery<CountRow>(pool, outcomeReportQuery(scope, groupBy, filters));
      const tallies = new Map<string, Tally>();
      const total = newTally();
      for (const r of rows) {
        if (!tallies.has(r.key)) tallies.set(r.key, newTally());
        for (const t of [tallies.get(r.key)!, total]) {
          const counted = new Map([[0, r.n]]);
          if (r.measure === 'readmitted') {
            addCounts(t.stays, counted);
            if (r.days === 1) addCounts(t.readmitted, counted);
          } else if (r.days !== null) addCounts(t[r.measure], new Map([[r.days, r.n]]));
        }
      }
      const keys = groupBy === 'month' ? monthsOf(filters.from, filters.to) : [...tallies.keys()].sort();
      return {
        from: filters.from,
        to: filters.to,
        groupBy,
        rows: keys.map((k) => ({ key: k, ...figuresOf(tallies.get(k) ?? newTally()) })),
        total: figuresOf(total),
      };
    },
  };
}

export type OutcomeReportRepository = ReturnType<typeof createOutcomeReport>;
