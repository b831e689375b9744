import type { Pool } from 'pg';
import {
  addCounts,
  type ComplianceOutcome,
  type DayCounts,
  DEADLINE_KEYS,
  deadlineOutcome,
  monthsOf,
  onTimeShare,
  percentileOfCounts,
} from '../../rules/report-definitions';
import type { IsoDate, MilestoneKey } from '../../rules/types';
import type {
  ComplianceDeadline,
  ComplianceFigures,
  ComplianceGroupBy,
  ComplianceHeatmap,
  ComplianceReport,
} from '../../schemas/reports';
import type { Scope } from '../plugins/app/auth';
import { reportQuery } from './report-session';

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

/** The SQL expression of each grouping's key, over a deadline `d` (a milestone row, or an agreed extra report). */
const GROUP_KEY: Record<ComplianceGroupBy, string> = {
  milestone: 'd.key',
  institution: 'd.institution_id',
  bydel: 'd.bydel_id',
  month: "to_char(d.due_date, 'YYYY-MM')",
};

/** The same, for counting hundreds of thousands of rows: a month as its first day (to_char costs half again as much). */
const COUNT_KEY: Record<ComplianceGroupBy, string> = {
  ...GROUP_KEY,
  month: "date_trunc('month', d.due_date::timestamp)::date",
};

/** Scope and filters as conditions on a deadline `d`; `params` is extended in place. */
function deadlineConditions(scope: Scope, filters: ComplianceFilters, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (scope.institutionId) add('d.institution_id = ?', scope.institutionId);
  if (scope.bydelId) add('d.bydel_id = ?', scope.bydelId);
  if (filters.institutionId) add('d.institution_id = ?', filters.institutionId);
  if (filters.bydelId) add('d.bydel_id = ?', filters.bydelId);
  if (filters.milestone) add('d.key = ?', filters.milestone);
  return conditions.map((c) => `AND ${c}`).join(' ');
}

/**
 * The agreed extra status reports (§2.2) as deadlines `d`: one read-model row carries every date agreed for the
 * stay, and the k-th report delivered meets the k-th agreed date, so each agreed date is a deadline of its own; a
 * deviation moves the one currently open.
 */
const EXTRA_STATUS_REPORTS = `(
  SELECT m.stay_id, m.key, m.institution_id, m.bydel_id, m.applicable,
         CASE WHEN cur THEN m.due_date ELSE a.agreed::date END AS due_date,
         CASE WHEN cur THEN m.original_due_date END AS original_due_date,
         (m.details->'delivered'->>(a.k::int - 1))::date AS done_at, cur AS deviated
    FROM stay_milestones m
         CROSS JOIN LATERAL jsonb_array_elements_text(COALESCE(m.details->'agreedDates', '[]')) WITH ORDINALITY a(agreed, k)
         CROSS JOIN LATERAL (SELECT m.deviation IS NOT NULL
           AND a.k - 1 = jsonb_array_length(COALESCE(m.details->'delivered', '[]'))) c(cur)
   WHERE m.key = 'extra-status-report' AND m.escalates)`;

/**
 * The report's one query (exported for the benchmark's EXPLAIN ANALYZE): the period's deadlines counted by group,
 * applicability, deviation, and either how many days after the due date they were done or, while not done, the
 * due date. No sort and no join: the rows carry their stay's organisations (migration 0021) and the covering indexes
 * answer for one organisation's period. Classifying these counts against today (rules/report-definitions.ts) gives
 * every figure of the report.
 */
export function complianceReportQuery(
  scope: Scope,
  groupBy: ComplianceGroupBy,
  filters: ComplianceFilters,
  thenBy?: ComplianceGroupBy,
): { text: string; values: unknown[] } {
  const values: unknown[] = [filters.from, filters.to];
  const where = deadlineConditions(scope, filters, values);
  const key2 = thenBy ? COUNT_KEY[thenBy] : 'NULL::text';
  const counted = (from: string, deadlines: string) => `
      SELECT ${COUNT_KEY[groupBy]} AS key, ${key2} AS key2, d.applicable, d.deviated,
             d.done_at - d.due_date AS done_days_after_due,
             CASE WHEN d.done_at IS NULL THEN d.due_date END AS open_due_date, count(*)::int AS n
        FROM ${from}
       WHERE ${deadlines} d.due_date BETWEEN $1::date AND $2::date ${where}
       GROUP BY 1, 2, 3, 4, 5, 6`;
  return {
    text: `${counted('stay_milestones d', "d.escalates AND d.key <> 'extra-status-report' AND")}
      UNION ALL ${counted(`${EXTRA_STATUS_REPORTS} d`, '')}`,
    values,
  };
}

/**
 * The deadlines of the period with their stays, classified in SQL for the drill-down's paging (the same definitions
 * as deadlineOutcome; the report test checks that every count and its list agree). $3 is today.
 */
function classifiedDeadlines(scope: Scope, filters: ComplianceFilters, today: IsoDate, params: unknown[]): string {
  params.push(filters.from, filters.to, today);
  const where = deadlineConditions(scope, filters, params);
  return `
    deadlines AS (
      SELECT d.stay_id, d.key, d.institution_id, d.bydel_id, d.due_date, d.original_due_date, d.done_at, d.applicable,
             d.deviated
        FROM stay_milestones d
       WHERE d.escalates AND d.key <> 'extra-status-report' AND d.due_date BETWEEN $1::date AND $2::date ${where}
      UNION ALL
      SELECT d.stay_id, d.key, d.institution_id, d.bydel_id, d.due_date, d.original_due_date, d.done_at, d.applicable,
             d.deviated
        FROM ${EXTRA_STATUS_REPORTS} d
       WHERE d.due_date BETWEEN $1::date AND $2::date ${where}
    ),
    classified AS (
      SELECT d.*, s.resident_ref,
             CASE WHEN d.done_at IS NULL AND NOT d.applicable THEN 'notApplicable'
                  WHEN d.done_at <= d.due_date THEN 'onTime'
                  WHEN d.done_at IS NOT NULL OR d.due_date < $3::date THEN 'late'
                  ELSE 'open' END AS outcome,
             CASE WHEN d.done_at > d.due_date THEN d.done_at - d.due_date
                  WHEN d.done_at IS NULL AND d.applicable AND d.due_date < $3::date THEN $3::date - d.due_date END AS days_late
        FROM deadlines d JOIN stays s ON s.id = d.stay_id
    )`;
}

/** How many deadlines of a group stand how: what the database sends back. */
type CountRow = {
  key: string;
  key2: string | null;
  applicable: boolean;
  deviated: boolean;
  done_days_after_due: number | null;
  open_due_date: IsoDate | null;
  n: number;
};

type Tally = Record<ComplianceOutcome, number> & { deviated: number; lateDays: DayCounts };

const newTally = (): Tally => ({ onTime: 0, late: 0, open: 0, notApplicable: 0, deviated: 0, lateDays: new Map() });

function count(tally: Tally, r: CountRow, today: IsoDate): void {
  const { outcome, daysLate } = deadlineOutcome(
    { dueDate: r.open_due_date, doneDaysAfterDue: r.done_days_after_due, applicable: r.applicable },
    today,
  );
  tally[outcome] += r.n;
  if (r.deviated && outcome !== 'notApplicable') tally.deviated += r.n;
  if (daysLate !== null) addCounts(tally.lateDays, new Map([[daysLate, r.n]]));
}

const figuresOf = (t: Tally): ComplianceFigures => ({
  due: t.onTime + t.late + t.open,
  onTime: t.onTime,
  late: t.late,
  open: t.open,
  notApplicable: t.notApplicable,
  deviated: t.deviated,
  onTimeShare: onTimeShare(t.onTime, t.late),
  daysLateMedian: percentileOfCounts(t.lateDays, 0.5),
  daysLateP90: percentileOfCounts(t.lateDays, 0.9),
});

/**
 * The compliance report, its heat map and its drill-down, from the read model (never from Temporal). The rows and
 * the total are counted from the same rows of one query, so they always add up.
 */
export function createComplianceReport(pool: Pool, today: () => IsoDate) {
  return {
    async report(scope: Scope, groupBy: ComplianceGroupBy, filters: ComplianceFilters): Promise<ComplianceReport> {
      const now = today();
      const rows = await reportQuery<CountRow>(pool, complianceReportQuery(scope, groupBy, filters));
      const tallies = new Map<string, Tally>();
      const total = newTally();
      for (const r of rows) {
        const key = groupBy === 'month' ? r.key.slice(0, 7) : r.key;
        if (!tallies.has(key)) tallies.set(key, newTally());
        count(tallies.get(key)!, r, now);
        count(total, r, now);
      }
      const byKey = new Map([...tallies].map(([k, t]) => [k, figuresOf(t)]));
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
        rows: keys.map((k) => ({ key: k, ...(byKey.get(k) ?? figuresOf(newTally())) })),
        total: figuresOf(total),
      };
    },

    /**
     * The heat map: per institution or bydel, the figures of every deadline milestone (in the rule book's order).
     * Organisations appear when they had a deadline in the period.
     */
    async heatmap(
      scope: Scope,
      rowsBy: 'institution' | 'bydel',
      filters: ComplianceFilters,
    ): Promise<ComplianceHeatmap> {
      const now = today();
      const rows = await reportQuery<CountRow>(pool, complianceReportQuery(scope, rowsBy, filters, 'milestone'));
      const cells = new Map<string, Map<string, Tally>>();
      for (const r of rows) {
        if (!cells.has(r.key)) cells.set(r.key, new Map());
        const row = cells.get(r.key)!;
        if (!row.has(r.key2!)) row.set(r.key2!, newTally());
        count(row.get(r.key2!)!, r, now);
      }
      const milestones = DEADLINE_KEYS.filter((k) => !filters.milestone || k === filters.milestone);
      return {
        from: filters.from,
        to: filters.to,
        rowsBy,
        rows: [...cells.keys()].sort().map((key) => ({
          key,
          milestones: milestones.map((m) => ({ key: m, ...figuresOf(cells.get(key)!.get(m) ?? newTally()) })),
        })),
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
      params.push(DEADLINE_KEYS, q.limit, q.offset);
      const rows = await reportQuery<{
        stay_id: string | null;
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
      }>(pool, {
        text: `WITH ${cte},
         chosen AS (SELECT d.* FROM classified d WHERE ${conditions.join(' AND ')})
         SELECT t.total, p.* FROM (SELECT count(*)::int AS total FROM chosen) t
           LEFT JOIN LATERAL (
             SELECT c.stay_id, c.resident_ref, c.institution_id, c.bydel_id, c.key, c.due_date AS due,
                    c.original_due_date AS original_due, c.done_at AS done, c.outcome, c.deviated, c.days_late
               FROM chosen c ORDER BY c.due_date, c.stay_id, array_position($${params.length - 2}::text[], c.key)
              LIMIT $${params.length - 1} OFFSET $${params.length}) p ON true`,
        values: params,
      });
      return {
        items: rows
          .filter((r): r is typeof r & { stay_id: string } => r.stay_id !== null)
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
        total: rows[0]?.total ?? 0,
      };
    },
  };
}

export type ComplianceReportRepository = ReturnType<typeof createComplianceReport>;
