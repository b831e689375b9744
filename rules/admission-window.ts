import { addOffset, compareDates } from './oslo-calendar';
import type { IsoDate } from './types';

/**
 * How far back an admission may be registered: the product's interpretation, not a Fellesskriv rule. Onboarding
 * brings in residents admitted before go-live, and no stay at a VEL institution has lasted ten years; an older date
 * is a mistyped year, and a stay started from it would raise every deadline of a decade at once.
 */
export const ADMISSION_WINDOW_YEARS = 10;

/** The earliest admission date that can be registered on `today` (Europe/Oslo). */
export const earliestAdmission = (today: IsoDate): IsoDate =>
  addOffset(today, { months: -12 * ADMISSION_WINDOW_YEARS });

export const admittedTooLongAgo = (admittedAt: IsoDate, today: IsoDate): boolean =>
  compareDates(admittedAt, earliestAdmission(today)) < 0;
