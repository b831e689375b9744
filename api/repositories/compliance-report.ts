import type { Pool } from 'pg';
import {
  type ComplianceOutcome,
  DEADLINE_KEYS,
  monthsOf,
  onTimeShare,
  roundDays,
} from '../../rules/report-definitions';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import type { ComplianceDeadline, ComplianceFigures, ComplianceGroupBy, ComplianceReport } from '../../schemas/reports';
import type { Scope } from '../plugins/app/auth';

export type ComplianceFilters = {
  from: IsoDate;
  to: IsoDate;
  institutionId?: string;
  bydelId?: string;
  milestone?: MilestoneKey;
};

/** Which rows a drill-down lists: a row of a report (groupBy + key; no key = its total) and one of its counts. */
export type ComplianceDrillDown = ComplianceFilters & {
  groupBy: ComplianceGroupBy;
  key?: string;
  outcome: ComplianceOutcome | 'due' | 'deviated';
  limit: number;
  offset: number;
};

/** The SQL expression of each grouping's key, over the `classified` deadlines below. */
const GROUP_KEY: Record<ComplianceGroupBy, string> = {
  milestone: 'd.key',
  institution: 'd.institution_id',
  bydel: 'd.bydel_id',
  month: "to_char(d.due, 'YYYY-MM')",
};

/**
 * Every deadline in the period as one row, classified (rules/report-definitions.ts). Stays are scoped by their
 * current institution and bydel. An extra status report (§2.2) is one read-model row carrying all the dates agreed
 * for the stay: the k-th report delivered meets the k-th agreed date, so each agreed date is a deadline of its own;
 * a deviation moves the one currently open.
 * Parameters: $1 from, $2 to, $3 today (Oslo), $4 deadline keys; scope and filters from $5 on.
 */
function classifiedDeadlines(scope: Scope, filters: ComplianceFilters, today: IsoDate, params: unknown[]): string {
  params.push(filters.from, filters.to, today, DEADLINE_KEYS);
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (scope.institutionId) add('s.institution_id = ?', scope.institutionId);
  if (scope.bydelId) add('s.bydel_id = ?', scope.bydelId);
  if (filters.institutionId) add('s.institution_id = ?', filters.institutionId);
  if (filters.bydelId) add('s.bydel_id = ?', filters.bydelId);
  if (filters.milestone) add('m.key = ?', filters.milestone);
  const stays = conditions.map((c) => `AND ${c}`).join(' ');
  return `
    deadlines AS (
      SELECT s.id AS stay_id, s.resident_ref, s.institution_id, s.bydel_id, m.key, m.due_date AS due,
             m.original_due_date AS original_due, m.done_at AS done, m.applicable, m.deviation IS NOT NULL AS deviated
        FROM stay_milestones m JOIN stays s ON s.id = m.stay_id
       WHERE m.key = ANY($4::text[]) AND m.key <> 'extra-status-report' AND m.due_date BETWEEN $1::date AND $2::date
             ${stays}
      UNION ALL
      SELECT s.id, s.resident_ref, s.institution_id, s.bydel_id, m.key,
             CASE WHEN cur THEN m.due_date ELSE a.agreed::date END,
             CASE WHEN cur THEN m.original_due_date END,
             (m.details->'delivered'->>(a.k::int - 1))::date,
             m.applicable, cur
        FROM stay_milestones m JOIN stays s ON s.id = m.stay_id
             CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(m.details->'agreedDates', '[]')) WITH ORDINALITY a(agreed, k)
             CROSS JOIN LATERAL (SELECT m.deviation IS NOT NULL
               AND a.k - 1 = jsonb_array_length(COALESCE(m.details->'delivered', '[]'))) c(cur)
       WHERE m.key = 'extra-status-report' AND 'extra-status-report' = ANY($4::text[]) ${stays}
    ),
    classified AS (
      SELECT d.*,
             CASE WHEN d.done IS NULL AND NOT d.applicable THEN 'notApplicable'
                  WHEN d.done <= d.due THEN 'onTime'
                  WHEN d.done IS NOT NULL OR d.due < $3::date THEN 'late'
                  ELSE 'open' END AS outcome,
             CASE WHEN d.done > d.due THEN d.done - d.due
                  WHEN d.done IS NULL AND d.applicable AND d.due < $3::date THEN $3::date - d.due END AS days_late
        FROM deadlines d
       WHERE d.due BETWEEN $1::date AND $2::date
    )`;
}

type FiguresRow = {
  key: string | null;
  grouped: number;
  due: number;
  on_time: number;
  late: number;
  open: number;
  not_applicable: number;
  deviated: number;
  days_late_median: number | null;
  days_late_p90: number | null;
};

const EMPTY: ComplianceFigures = {
  due: 0,
  onTime: 0,
  late: 0,
  open: 0,
  notApplicable: 0,
  deviated: 0,
  onTimeShare: null,
  daysLateMedian: null,
  daysLateP90: null,
};

const figuresOf = (r: FiguresRow): ComplianceFigures => ({
  due: r.due,
  onTime: r.on_time,
  late: r.late,
  open: r.open,
  notApplicable: r.not_applicable,
  deviated: r.deviated,
  onTimeShare: onTimeShare(r.on_time, r.late),
  daysLateMedian: roundDays(r.days_late_median),
  daysLateP90: roundDays(r.days_late_p90),
});

/**
 * The compliance report and its drill-down, from the read model (never from Temporal). One scan of the period's
 * deadlines; the rows and the total come from one GROUPING SETS query, so they always add up.
 */
export function createComplianceReport(pool: Pool, today: () => IsoDate) {
  return {
    async report(scope: Scope, groupBy: ComplianceGroupBy, filters: ComplianceFilters): Promise<ComplianceReport> {
      const params: unknown[] = [];
      const cte = classifiedDeadlines(scope, filters, today(), params);
      const key = GROUP_KEY[groupBy];
      const result = await pool.query<FiguresRow>(
        `WITH ${cte}
         SELECT ${key} AS key, GROUPING(${key}) AS grouped,
                count(*) FILTER (WHERE outcome <> 'notApplicable')::int AS due,
                count(*) FILTER (WHERE outcome = 'onTime')::int AS on_time,
                count(*) FILTER (WHERE outcome = 'late')::int AS late,
                count(*) FILTER (WHERE outcome = 'open')::int AS open,
                count(*) FILTER (WHERE outcome = 'notApplicable')::int AS not_applicable,
                count(*) FILTER (WHERE outcome <> 'notApplicable' AND deviated)::int AS deviated,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY days_late) AS days_late_median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY days_late) AS days_late_p90
           FROM classified d
          GROUP BY GROUPING SETS ((${key}), ())`,
        params,
      );
      const byKey = new Map<string, ComplianceFigures>();
      let total = EMPTY;
      for (const r of result.rows) {
        if (r.grouped === 1) total = figuresOf(r);
        else byKey.set(r.key!, figuresOf(r));
      }
      // Milestones in the rule book's order and every month of the period, also when nothing fell due: a chart or
      // a trend shows the gap. Organisations appear when they had a deadline in the period.
      const keys =
        groupBy === 'milestone'
          ? DEADLINE_KEYS.filter((k) => !filters.milestone || k === filters.milestone)
          : groupBy === 'month'
            ? monthsOf(filters.from, filters.to)
            : [...byKey.keys()].sort();
      return {
        from: filters.from,
        to: filters.to,
        groupBy,
        rows: keys.map((k) => ({ key: k, ...(byKey.get(k) ?? EMPTY) })),
        total,
      };
    },

    /** The deadlines behind one number of the report: oldest due date first, a stay's in the rule book's order. */
    async deadlines(scope: Scope, q: ComplianceDrillDown): Promise<{ items: ComplianceDeadline[]; total: number }> {
      const params: unknown[] = [];
      const cte = classifiedDeadlines(scope, q, today(), params);
      const conditions: string[] = [];
      if (q.key !== undefined) {
        params.push(q.key);
        conditions.push(`${GROUP_KEY[q.groupBy]} = $${params.length}`);
      }
      if (q.outcome === 'due') conditions.push(`outcome <> 'notApplicable'`);
      else if (q.outcome === 'deviated') conditions.push(`outcome <> 'notApplicable' AND deviated`);
      else {
        params.push(q.outcome);
        conditions.push(`outcome = $${params.length}`);
      }
      params.push(q.limit, q.offset);
      const result = await pool.query<{
        stay_id: string;
        resident_ref: string;
        institution_id: string;
        bydel_id: string;
        key: MilestoneKey;
        due: string;
        original_due: string | null;
        done: string | null;
        outcome: ComplianceOutcome;
        deviated: boolean;
        days_late: number | null;
        total: number;
      }>(
        `WITH ${cte},
         chosen AS (SELECT d.* FROM classified d WHERE ${conditions.join(' AND ')})
         SELECT t.total, p.* FROM (SELECT count(*)::int AS total FROM chosen) t
           LEFT JOIN LATERAL (
             SELECT c.stay_id, c.resident_ref, c.institution_id, c.bydel_id, c.key, c.due::text, c.original_due::text,
                    c.done::text, c.outcome, c.deviated, c.days_late
               FROM chosen c ORDER BY c.due, c.stay_id, array_position($4::text[], c.key)
              LIMIT $${params.length - 1} OFFSET $${params.length}) p ON true`,
        params,
      );
      return {
        items: result.rows
          .filter((r) => r.stay_id !== null)
          .map((r) => ({
            stayId: r.stay_id,
            residentRef: r.resident_ref,
            institutionId: r.institution_id,
            bydelId: r.bydel_id,
            milestone: r.key,
            dueDate: r.due,
            originalDueDate: r.original_due,
            doneAt: r.done,
            outcome: r.outcome,
            deviated: r.deviated,
            daysLate: r.days_late,
          })),
        total: result.rows[0]?.total ?? 0,
      };
    },
  };
}

export type ComplianceReportRepository = ReturnType<typeof createComplianceReport>;
