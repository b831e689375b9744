import type { Pool } from 'pg';
import { CONSENT_REMINDER_DAYS_BEFORE } from '../../rules/consent';
import { osloDate } from '../../rules/oslo-calendar';

/**
 * The sweep behind "the resident's consent runs out": raises one reminder to the institution for every consent of
 * an active stay whose reminder day (rules/consent.ts) has come — once per consent and end date, however often the
 * sweep runs and on however many workers (the unique key `consent_reminders_once`). A consent renewed with another
 * end date gets its own reminder when that one nears. Returns how many were raised now.
 */
export async function raiseConsentReminders(pool: Pool, now: string): Promise<number> {
  const result = await pool.query(
    `INSERT INTO consent_reminders (stay_id, consent_id, valid_until, institution_id, raised_at)
     SELECT c.stay_id, c.consent_id, c.valid_until, s.institution_id, $2::timestamptz
       FROM stay_consents c JOIN stays s ON s.id = c.stay_id
      WHERE c.given AND c.withdrawn_on IS NULL AND c.valid_until IS NOT NULL
        AND c.valid_until - $3::int <= $1::date
        AND s.status = 'active' AND s.anonymised_at IS NULL
     ON CONFLICT ON CONSTRAINT consent_reminders_once DO NOTHING`,
    [osloDate(Date.parse(now)), now, CONSENT_REMINDER_DAYS_BEFORE],
  );
  return result.rowCount ?? 0;
}

/**
 * Runs the sweep at most once per interval of the caller's clock (the dispatcher's workflow time, so a time-skipping
 * test moves it too). The interval only spares the database: correctness comes from the unique key.
 */
export function consentSweep(pool: Pool, intervalMs = 15 * 60_000) {
  let lastMs: number | null = null;
  return async (now: string): Promise<void> => {
    const nowMs = Date.parse(now);
    if (lastMs !== null && nowMs >= lastMs && nowMs - lastMs < intervalMs) return;
    lastMs = nowMs;
    await raiseConsentReminders(pool, now);
  };
}
