import { DateTime } from 'luxon';
import type { IsoDate } from './types';

/**
 * Calendar arithmetic of the rule book: dates are calendar dates in Europe/Oslo, "N days" counts calendar
 * days, "N months" are calendar months clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb). Pure: every function takes the current instant as an argument, so workflows can replay them.
 */
export const OSLO = 'Europe/Oslo';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Offset = { days?: number; months?: number };

/** Year, month (1–12) and day of a calendar date, or null when it is none (2026-02-30, 2026-2-3). */
function parts(date: string): [number, number, number] | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo - 1)) return null;
  return [y, mo, d];
}

function parse(date: IsoDate): [number, number, number] {
  const p = parts(date);
  if (!p) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return p;
}

/** A UTC date; `setUTCFullYear` and not `Date.UTC`, which reads years 0–99 as 1900–1999. */
function utc(year: number, month0: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month0, day);
  return date;
}

const daysInMonth = (year: number, month0: number): number => utc(year, month0 + 1, 0).getUTCDate();

export function isIsoDate(value: string): boolean {
  return parts(value) !== null;
}

/**
 * Calendar arithmetic needs no time zone: a date plus N days or months is the same date in every zone, so it is done
 * on UTC dates (no DST, no time-zone database). Only the conversions between dates and instants below ask Oslo.
 * The workflow evaluates this for every ladder step of every open milestone on every workflow task.
 */
export function addOffset(date: IsoDate, offset: Offset): IsoDate {
  const [y, m, d] = parse(date);
  // months first, then days: "4 months and 2 weeks" is read as a calendar month step followed by days
  const month = utc(y, m - 1 + (offset.months ?? 0), 1);
  const [year, month0] = [month.getUTCFullYear(), month.getUTCMonth()];
  const day = Math.min(d, daysInMonth(year, month0)) + (offset.days ?? 0);
  return utc(year, month0, day).toISOString().slice(0, 10);
}

/** The calendar date in Oslo at an instant. */
export function osloDate(epochMs: number): IsoDate {
  // Oslo is never ahead of UTC by more than 2 hours: its date is the UTC date 2 hours later, or the day before that
  const candidate = new Date(epochMs + 2 * 3_600_000).toISOString().slice(0, 10);
  return epochMs >= osloMidnight(candidate) ? candidate : addOffset(candidate, { days: -1 });
}

/** The last Sunday of a month (month0: 0–11) as its day of the month. */
function lastSunday(year: number, month0: number): number {
  const last = utc(year, month0 + 1, 0);
  return last.getUTCDate() - last.getUTCDay();
}

/**
 * 00:00 Europe/Oslo on the given date, as epoch milliseconds (23 or 25 hours from the previous midnight across DST).
 * Since 1996 Oslo keeps the EU's rule (tz database "Rule EU"): UTC+2 from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October, else UTC+1. So a midnight is summer time from the day after the March
 * change up to and including the October change's Sunday. Computed rather than asked of the time-zone database
 * (Intl), which costs milliseconds in a fresh workflow sandbox; the tests compare it with the database, so a change of
 * the rule fails them. Earlier dates ask the database.
 */
export function osloMidnight(date: IsoDate): number {
  const [y, m, d] = parse(date);
  if (y < 1996) return DateTime.fromISO(date, { zone: OSLO }).startOf('day').toMillis();
  const summer = (m > 3 || (m === 3 && d > lastSunday(y, 2))) && (m < 10 || (m === 10 && d <= lastSunday(y, 9)));
  return utc(y, m - 1, d).getTime() - (summer ? 2 : 1) * 3_600_000;
}

/** A milestone due on D is on time through D and overdue from 00:00 Oslo on D+1. */
export function overdueFrom(dueDate: IsoDate): number {
  return osloMidnight(addOffset(dueDate, { days: 1 }));
}

export function isPastDue(dueDate: IsoDate, nowMs: number): boolean {
  return nowMs >= overdueFrom(dueDate);
}

export const compareDates = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);

/** Calendar days from `a` to `b` (negative when `b` is earlier); UTC dates have no DST to make a day count twice. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  const [ya, ma, da] = parse(a);
  const [yb, mb, db] = parse(b);
  return Math.round((utc(yb, mb - 1, db).getTime() - utc(ya, ma - 1, da).getTime()) / 86_400_000);
}
