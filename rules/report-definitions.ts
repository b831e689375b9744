import { DateTime } from 'luxon';
import { MILESTONE_RULES } from './milestones';
import type { Offset } from './oslo-calendar';
import type { IsoDate, MilestoneKey, Party } from './types';

/**
 * The definitions every report uses (API contract, "Reports"). The product's reading where the contract leaves a
 * choice is stated here, once; the SQL of the reports follows it and the OpenAPI page quotes it.
 *
 * A deadline **falls due in the period** when its due date — the agreed one after a deviation (§1) — lies in
 * [from, to]. Against today in Oslo it is then exactly one of:
 * - **on time**: done on or before its due date;
 * - **late**: done after it, or not done while the date has passed (a deadline due on D is late from D+1);
 * - **open**: not done, date not yet passed;
 * - **not applicable**: closed without being done (ended early, discharged, not part of the housing offer).
 *
 * `due` counts on time + late + open; not-applicable deadlines are counted apart. `deviated` counts the due ones
 * whose date was moved by an agreed deviation.
 */
export const COMPLIANCE_OUTCOMES = ['onTime', 'late', 'open', 'notApplicable'] as const;
export type ComplianceOutcome = (typeof COMPLIANCE_OUTCOMES)[number];

/**
 * The milestones that are deadlines: every rule whose miss escalates. Reminder-only recommendations (the recurring
 * cooperation meeting, §2 "about every 2 months") are not deadlines and never count.
 */
export const DEADLINE_KEYS: readonly MilestoneKey[] = MILESTONE_RULES.filter((r) => r.onMissed === 'overdue').map(
  (r) => r.key,
);

const DAY_MS = 86_400_000;

/**
 * Where a deadline that fell due stands against today in Oslo. `doneDaysAfterDue`: done date − due date in days
 * (≤ 0 is on time), null while not done; `dueDate` is needed only then.
 */
export function deadlineOutcome(
  d: { dueDate: IsoDate | null; doneDaysAfterDue: number | null; applicable: boolean },
  today: IsoDate,
): { outcome: ComplianceOutcome; daysLate: number | null } {
  if (d.doneDaysAfterDue !== null)
    return d.doneDaysAfterDue <= 0
      ? { outcome: 'onTime', daysLate: null }
      : { outcome: 'late', daysLate: d.doneDaysAfterDue };
  if (!d.applicable) return { outcome: 'notApplicable', daysLate: null };
  if (d.dueDate !== null && d.dueDate < today)
    return { outcome: 'late', daysLate: Math.round((Date.parse(today) - Date.parse(d.dueDate)) / DAY_MS) };
  return { outcome: 'open', daysLate: null };
}

/** `onTime / (onTime + late)`, to four decimals; null when nothing was decided yet (no share of nothing). */
export function onTimeShare(onTime: number, late: number): number | null {
  const decided = onTime + late;
  return decided === 0 ? null : Math.round((onTime / decided) * 10_000) / 10_000;
}

/**
 * Days late of a late deadline: done date − due date, or, while still not done, today − due date (how late it is
 * so far — leaving those out would flatter the figures exactly where a deadline is missed outright).
 */
export const roundDays = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

/** Whole days and how many times each occurs: the reports count in the database and ship only this. */
export type DayCounts = Map<number, number>;

/**
 * The p-th percentile (0–1) of the values counted: the continuous percentile, by linear interpolation between the
 * closest ranks (PostgreSQL `percentile_cont`, Excel `PERCENTILE.INC`): the median of 7 and 31 is 19, their 90th
 * percentile 7 + 0.9 × 24 = 28.6. Rounded to one decimal; null when nothing was counted.
 */
export function percentileOfCounts(counts: DayCounts, p: number): number | null {
  const values = [...counts.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = values.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = (total - 1) * p;
  const valueAt = (index: number): number => {
    let seen = 0;
    for (const [value, n] of values) {
      seen += n;
      if (index < seen) return value;
    }
    return values.at(-1)![0];
  };
  const lower = valueAt(Math.floor(rank));
  const upper = valueAt(Math.ceil(rank));
  return roundDays(lower + (upper - lower) * (rank - Math.floor(rank)));
}

/** Adds the counts of `more` into `into`. */
export function addCounts(into: DayCounts, more: DayCounts): DayCounts {
  for (const [value, n] of more) into.set(value, (into.get(value) ?? 0) + n);
  return into;
}

/**
 * A readmission (PRIOslo: fewer readmissions): after a stay ends (discharge or early end), a new stay linked to it
 * by `previousStayId` (a move to another VEL institution), or a stay of the same resident reference at a VEL
 * institution admitted within this window from the end. Anonymised stays have no resident reference left, so after
 * the retention period only the `previousStayId` links are counted.
 */
export const READMISSION_WINDOW: Offset = { months: 12 };

/** Every month from `from` to `to`, as YYYY-MM: a trend has a point for each month, also the empty ones. */
export function monthsOf(from: IsoDate, to: IsoDate): string[] {
  const months: string[] = [];
  let month = DateTime.fromISO(from).startOf('month');
  const last = DateTime.fromISO(to).startOf('month');
  while (month <= last) {
    months.push(month.toFormat('yyyy-MM'));
    month = month.plus({ months: 1 });
  }
  return months;
}

/**
 * The forecast ("kan bli forsinket"): an open deadline due within the horizon, at an organisation that was late with
 * that milestone in at least this share of its decided deadlines over the look-back, with at least `minDecided` of
 * them (fewer is no pattern). The product's interpretation; the Fellesskriv says nothing about forecasts.
 */
export const FORECAST = {
  horizonDays: 14,
  lookBack: { months: -12 } satisfies Offset,
  lateShare: 0.5,
  minDecided: 3,
} as const;

/** A deadline the forecast found, with the late record of its institution and its bydel for that milestone. */
export type ForecastCandidate = {
  stayId: string;
  milestone: MilestoneKey;
  dueDate: IsoDate;
  responsible: Party;
  institution: { late: number; decided: number };
  bydel: { late: number; decided: number };
};

/**
 * When each organisation gets the weekly forecast digest: Monday 07:00 in Oslo (the product's choice; a digest missed
 * while no worker ran goes out when one is back, the same ISO week).
 */
export const FORECAST_DIGEST = { weekday: 1, hour: 7 } as const;

/** The instant of the weekly digest in the ISO week of `nowMs` (Oslo), and of the week after. */
export function forecastDigestTimes(nowMs: number): { thisWeek: number; nextWeek: number } {
  const monday = DateTime.fromMillis(nowMs, { zone: 'Europe/Oslo' })
    .startOf('week')
    .plus({ days: FORECAST_DIGEST.weekday - 1 })
    .set({ hour: FORECAST_DIGEST.hour });
  return { thisWeek: monday.toMillis(), nextWeek: monday.plus({ weeks: 1 }).toMillis() };
}

export type ForecastRisk = 'likely-late' | 'usual' | 'no-history';
export type ForecastRanking = { lateShare: number | null; decided: number; risk: ForecastRisk };

const lateRecord = (r: { late: number; decided: number }) => {
  const onTime = onTimeShare(r.decided - r.late, r.late);
  return { decided: r.decided, lateShare: onTime === null ? null : Math.round((1 - onTime) * 10_000) / 10_000 };
};

/**
 * How the forecast judges one deadline: by the record of the organisation responsible for it; for a deadline both
 * share (§4), the organisation with the worse record is the one to watch.
 */
export function forecastRanking(c: ForecastCandidate): ForecastRanking {
  const institution = lateRecord(c.institution);
  const bydel = lateRecord(c.bydel);
  const { lateShare, decided } =
    c.responsible === 'institution'
      ? institution
      : c.responsible === 'bydel'
        ? bydel
        : (bydel.lateShare ?? -1) > (institution.lateShare ?? -1)
          ? bydel
          : institution;
  const risk: ForecastRisk =
    lateShare === null
      ? 'no-history'
      : lateShare >= FORECAST.lateShare && decided >= FORECAST.minDecided
        ? 'likely-late'
        : 'usual';
  return { lateShare, decided, risk };
}

/** The forecast's order: the worst record first, then the earliest due date (ties by stay and milestone, stable). */
export function compareForecast(
  a: Pick<ForecastCandidate, 'stayId' | 'milestone' | 'dueDate'> & { lateShare: number | null },
  b: Pick<ForecastCandidate, 'stayId' | 'milestone' | 'dueDate'> & { lateShare: number | null },
): number {
  return (
    (b.lateShare ?? -1) - (a.lateShare ?? -1) ||
    a.dueDate.localeCompare(b.dueDate) ||
    a.stayId.localeCompare(b.stayId) ||
    DEADLINE_KEYS.indexOf(a.milestone) - DEADLINE_KEYS.indexOf(b.milestone)
  );
}
