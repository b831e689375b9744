import { compareDates } from './oslo-calendar';
import type { IsoDate } from './types';

/** §2.2: applications and referrals for housing after the stay, each tracked to its outcome. */
export const APPLICATIONS_SECTION = '§2.2';

/**
 * What is wrong with an application's dates on `today`, as `errors[]` entries: it is recorded once sent (not ahead),
 * and decided after it was sent and not ahead of the decision.
 */
export function applicationDateRefusals(
  a: { sentOn: IsoDate; outcomeOn: IsoDate | null },
  today: IsoDate,
): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  if (compareDates(a.sentOn, today) > 0)
    errors.push({ path: 'body.sentOn', message: `record an application on or after the day it is sent (${today})` });
  if (a.outcomeOn) {
    if (compareDates(a.outcomeOn, a.sentOn) < 0)
      errors.push({ path: 'body.outcomeOn', message: `a decision comes after the application was sent (${a.sentOn})` });
    else if (compareDates(a.outcomeOn, today) > 0)
      errors.push({ path: 'body.outcomeOn', message: `record a decision on or after the day it is made (${today})` });
  }
  return errors;
}
