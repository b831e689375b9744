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
