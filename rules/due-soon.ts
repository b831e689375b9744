import { addOffset } from './oslo-calendar';
import type { IsoDate } from './types';

/**
 * A deadline is "due soon" from today until this many days ahead: yellow in the worklist (and counted there) and on
 * the stay page. The product's interpretation: the Fellesskriv names no warning period.
 */
export const DUE_SOON_DAYS = 14;

/** The last day that is still "due soon" today. */
export const dueSoonUntil = (today: IsoDate): IsoDate => addOffset(today, { days: DUE_SOON_DAYS });

export const isDueSoon = (dueDate: IsoDate | null, today: IsoDate): boolean =>
  !!dueDate && dueDate >= today && dueDate <= dueSoonUntil(today);
