/**
 * How long a stay's personal data is kept after the stay is closed (completed, or ended with its final report in).
 * Not a Fellesskriv rule: GDPR art. 5(1)(e) (storage limitation) and the municipality's archive decisions. The
 * product's default is 12 months, configurable (RETENTION_DAYS); each stay keeps the value it was registered with.
 */
export const DEFAULT_RETENTION_DAYS = 365;

export function loadRetentionDays(env: Record<string, string | undefined>): number {
  const raw = env.RETENTION_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new Error(`RETENTION_DAYS must be a whole number of days between 1 and 3650, got "${raw}"`);
  return days;
}

/**
 * How long the access log (who read which stay) is kept. Normen requires access to health data to be logged and the
 * logs to be followed up; it sets no fixed period. The product's default is two years, configurable
 * (ACCESS_LOG_RETENTION_DAYS, at least 180 so a review can happen); the database refuses anything shorter.
 */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 730;

export function loadAccessLogRetentionDays(env: Record<string, string | undefined>): number {
  const raw = env.ACCESS_LOG_RETENTION_DAYS;
  if (raw === undefined || raw === '') return DEFAULT_ACCESS_LOG_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 180 || days > 3650)
    throw new Error(`ACCESS_LOG_RETENTION_DAYS must be a whole number of days between 180 and 3650, got "${raw}"`);
  return days;
}

/** An Idempotency-Key protects retries of one request: a month is far longer than any client retries. */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 30;
