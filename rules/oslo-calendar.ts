import { DateTime } from 'luxon';
import type { IsoDate } from './types';

/**
 * Calendar arithmetic of the rule book: dates are calendar dates in Europe/Oslo, "N days" counts calendar
 * days, "N months" are calendar months clamped to the end of a shorter month (luxon clamps: 31 Jan + 1 month
 * = 28/29 Feb). Pure: every function takes the current instant as an argument, so workflows can replay them.
 */
export const OSLO = 'Europe/Oslo';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export type Offset = { days?: number; months?: number };

function parse(date: IsoDate): DateTime {
  const dt = DateTime.fromISO(date, { zone: OSLO });
  if (!ISO_DATE.test(date) || !dt.isValid) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return dt;
}

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: OSLO }).isValid;
}

export function addOffset(date: IsoDate, offset: Offset): IsoDate {
  // months first, then days: "4 months and 2 weeks" is read as a calendar month step followed by days
  return parse(date)
    .plus({ months: offset.months ?? 0 })
    .plus({ days: offset.days ?? 0 })
    .toISODate()!;
}

/** The calendar date in Oslo at an instant. */
export function osloDate(epochMs: number): IsoDate {
  return DateTime.fromMillis(epochMs, { zone: OSLO }).toISODate()!;
}

/** 00:00 Europe/Oslo on the given date, as epoch milliseconds (23 or 25 hours from the previous midnight across DST). */
export function osloMidnight(date: IsoDate): number {
  return parse(date).startOf('day').toMillis();
}

/** A milestone due on D is on time through D and overdue from 00:00 Oslo on D+1. */
export function overdueFrom(dueDate: IsoDate): number {
  return osloMidnight(addOffset(dueDate, { days: 1 }));
}

export function isPastDue(dueDate: IsoDate, nowMs: number): boolean {
  return nowMs >= overdueFrom(dueDate);
}

export const compareDates = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);

/** Calendar days from `a` to `b` (negative when `b` is earlier); DST never makes a day count twice. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round(parse(b).diff(parse(a), 'days').days);
}
