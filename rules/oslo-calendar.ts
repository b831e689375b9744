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
  return DateTime.fromMillis(epochMs, { zone: OSLO }).toISODate()!;
}

// Asking the time-zone database (Intl) is the expensive part; a date's midnight never changes, so it is asked once.
const midnights = new Map<IsoDate, number>();

/** 00:00 Europe/Oslo on the given date, as epoch milliseconds (23 or 25 hours from the previous midnight across DST). */
export function osloMidnight(date: IsoDate): number {
  let ms = midnights.get(date);
  if (ms === undefined) {
    parse(date);
    ms = DateTime.fromISO(date, { zone: OSLO }).startOf('day').toMillis();
    if (midnights.size >= 10_000) midnights.clear();
    midnights.set(date, ms);
  }
  return ms;
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
