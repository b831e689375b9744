/**
 * The numbers the rule book calls interpretations: where Fellesskriv 3/2021 says "as soon as possible" or
 * "about", the product picks a number. Each is configurable (env), and a stay keeps the values it was
 * registered with, so that a configuration change never moves the deadlines of a running workflow.
 */
export type Interpretations = {
  /** §2.2: an insufficient status report → causes mapped "as soon as possible". Product reading: 14 days. */
  statusReportCausesDays: number;
  /** §2: cooperation meetings recommended "at least about every 2 months". */
  cooperationMeetingIntervalMonths: number;
  /** §3.1: the exit meeting is held "at the latest immediately" after housing is offered. Product reading: 7 days. */
  exitMeetingDays: number;
  /** §3.3: the follow-up meeting "about 4 weeks" after moving in. Product reading: 28 days. */
  followUpMeetingDays: number;
};

export const DEFAULT_INTERPRETATIONS: Interpretations = {
  statusReportCausesDays: 14,
  cooperationMeetingIntervalMonths: 2,
  exitMeetingDays: 7,
  followUpMeetingDays: 28,
};

const ENV_NAMES: Record<keyof Interpretations, string> = {
  statusReportCausesDays: 'RULE_STATUS_REPORT_CAUSES_DAYS',
  cooperationMeetingIntervalMonths: 'RULE_COOPERATION_MEETING_INTERVAL_MONTHS',
  exitMeetingDays: 'RULE_EXIT_MEETING_DAYS',
  followUpMeetingDays: 'RULE_FOLLOW_UP_MEETING_DAYS',
};

/** Reads overrides such as RULE_STATUS_REPORT_CAUSES_DAYS=10; refuses anything but a positive whole number. */
export function loadInterpretations(env: Record<string, string | undefined>): Interpretations {
  const result = { ...DEFAULT_INTERPRETATIONS };
  for (const [field, name] of Object.entries(ENV_NAMES) as [keyof Interpretations, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 365) {
      throw new Error(`${name} must be a whole number between 1 and 365, got "${raw}"`);
    }
    result[field] = value;
  }
  return result;
}
