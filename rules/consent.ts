import { addOffset, compareDates, daysBetween } from './oslo-calendar';
import type { IsoDate } from './types';

/**
 * The resident's consent to sharing information between the institution and the bydel (Oslostandard for
 * booppfølging, tiltak 7 and 13; vedlegg 2: "Samtykkeerklæring (nei/ja, med dato til)"), and whether relatives are
 * involved (Fellesskriv §2: "sørge for at pårørende blir involvert dersom det er aktuelt", with the resident's say).
 */
export const CONSENT_SECTION = 'Oslostandard for booppfølging, tiltak 7 og 13; vedlegg 2';
export const RELATIVES_SECTION = '§2';

/**
 * How many days before a consent runs out the institution is reminded to renew it. The texts are silent on it: the
 * product's interpretation, chosen so that a renewal fits between two cooperation meetings (about every 2 months, §2)
 * — a month ahead is the next meeting or the one after.
 */
export const CONSENT_REMINDER_DAYS_BEFORE = 30;

export const RELATIVES_INVOLVEMENT = ['involved', 'not-relevant', 'not-wanted-by-resident'] as const;
export type RelativesInvolvement = (typeof RELATIVES_INVOLVEMENT)[number];

export type ConsentRecord = {
  given: boolean;
  /** When the resident answered (gave or refused the consent). */
  date: IsoDate;
  validUntil: IsoDate | null;
  withdrawnOn: IsoDate | null;
};

export type ConsentState = 'valid' | 'expiring' | 'expired' | 'withdrawn' | 'refused';

/** Where a consent stands on a day: refused, withdrawn, expired, running out within the reminder window, or valid. */
export function consentState(c: ConsentRecord, today: IsoDate): ConsentState {
  if (!c.given) return 'refused';
  if (c.withdrawnOn && compareDates(c.withdrawnOn, today) <= 0) return 'withdrawn';
  if (!c.validUntil) return 'valid';
  if (compareDates(c.validUntil, today) < 0) return 'expired';
  return compareDates(reminderDueOn(c.validUntil), today) <= 0 ? 'expiring' : 'valid';
}

/** The day the institution is reminded of a consent that runs until `validUntil`. */
export const reminderDueOn = (validUntil: IsoDate): IsoDate =>
  addOffset(validUntil, { days: -CONSENT_REMINDER_DAYS_BEFORE });

/** Days from `today` to the last valid day (negative: expired that many days ago). */
export const daysLeft = (validUntil: IsoDate, today: IsoDate): number => daysBetween(today, validUntil);

/**
 * What is wrong with a consent as recorded on `today`, as `errors[]` entries (empty: it can be saved). The shape
 * (a refusal has no end date) is the schema's; these are the rules that need the calendar.
 */
export function consentRefusals(c: ConsentRecord, today: IsoDate): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (compareDates(c.date, today) > 0)
    errors.push({ path: 'body.date', message: `the answer is recorded on or before today (${today})` });
  if (c.validUntil && compareDates(c.validUntil, c.date) < 0)
    errors.push({ path: 'body.validUntil', message: `a consent is valid from the day it is given (${c.date}) on` });
  if (c.withdrawnOn) {
    if (compareDates(c.withdrawnOn, c.date) < 0)
      errors.push({ path: 'body.withdrawnOn', message: `a consent is withdrawn after it was given (${c.date})` });
    else if (compareDates(c.withdrawnOn, today) > 0)
      errors.push({
        path: 'body.withdrawnOn',
        message: `record a withdrawal on or after the day it happens (${today})`,
      });
    else if (c.validUntil && compareDates(c.withdrawnOn, c.validUntil) > 0)
      errors.push({
        path: 'body.withdrawnOn',
        message: `the consent had already run out on ${c.validUntil}; there was nothing left to withdraw`,
      });
  }
  return errors;
}
