import { DateTime } from 'luxon';
import { OSLO } from './oslo-calendar';
import type { IsoDate } from './types';

/**
 * Wall-clock times in Oslo, as people plan meetings: `YYYY-MM-DDTHH:mm` without an offset. Pure, like the calendar.
 */
export type OsloLocalTime = string;

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const FORMAT = "yyyy-MM-dd'T'HH:mm";

/**
 * The instant of an Oslo wall-clock time, or null when Oslo's clocks never show it: malformed, or inside the hour
 * skipped when summer time starts (02:00–02:59 on the last Sunday of March). In the hour that repeats in October the
 * first (summer time) one is meant.
 */
export function osloInstant(local: OsloLocalTime): number | null {
  if (!LOCAL.test(local)) return null;
  const dt = DateTime.fromISO(local, { zone: OSLO });
  if (!dt.isValid || dt.toFormat(FORMAT) !== local) return null;
  return dt.toMillis();
}

/** An instant as Oslo wall-clock time. */
export const osloLocal = (epochMs: number): OsloLocalTime =>
  DateTime.fromMillis(epochMs, { zone: OSLO }).toFormat(FORMAT);

/** The Oslo calendar date of a wall-clock time. */
export const dateOf = (local: OsloLocalTime): IsoDate => local.slice(0, 10);
