/**
 * The numbers the rule book calls interpretations: where Fellesskriv 3/2021 says "as soon as possible", "about" or
 * "in good time", or is silent where users still expect action, the product picks a number. Each is configurable
 * (env), and a stay keeps the values it was registered with, so that a configuration change never moves the
 * deadlines of a running workflow.
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
  /** §2.2: the status report comes "in good time before" the housing meeting. Product reading: 7 days. */
  statusReportGoodTimeDays: number;
  /** The text is silent: a discharged resident with no move-in (or other end) recorded is asked about after 14 days. */
  dischargedWithoutMoveInDays: number;
};

export type InterpretationKey = keyof Interpretations;

/** What each interpretation reads, where, and how it is configured: served by GET /api/config/rules. */
export type InterpretationRule = {
  key: InterpretationKey;
  /** The Fellesskriv section it interprets, or `product` where the text is silent. */
  section: string;
  /** The text's own words (Norwegian), where there are any. */
  textNb: string | null;
  meaning: string;
  unit: 'days' | 'months';
  env: string;
  default: number;
};

export const INTERPRETATION_RULES: readonly InterpretationRule[] = [
  {
    key: 'statusReportCausesDays',
    section: '§2.2',
    textNb: 'snarest kartlegge årsakene',
    meaning: 'days after the bydel marks the status report insufficient that the causes must be mapped',
    unit: 'days',
    env: 'RULE_STATUS_REPORT_CAUSES_DAYS',
    default: 14,
  },
  {
    key: 'cooperationMeetingIntervalMonths',
    section: '§2',
    textNb: 'som et minimum en møtefrekvens på ca. hver annen måned',
    meaning:
      'months between cooperation meetings: a reminder before each due date, and a new one every interval while no meeting is recorded',
    unit: 'months',
    env: 'RULE_COOPERATION_MEETING_INTERVAL_MONTHS',
    default: 2,
  },
  {
    key: 'exitMeetingDays',
    section: '§3.1',
    textNb: 'senest avholdes umiddelbart etter at beboer har fått tilbud om eller har funnet konkret bolig',
    meaning: 'days after housing is offered that the exit meeting is due',
    unit: 'days',
    env: 'RULE_EXIT_MEETING_DAYS',
    default: 7,
  },
  {
    key: 'followUpMeetingDays',
    section: '§3.3',
    textNb: 'ca. fire uker etter innflytting',
    meaning: 'days after moving in that the follow-up meeting is due',
    unit: 'days',
    env: 'RULE_FOLLOW_UP_MEETING_DAYS',
    default: 28,
  },
  {
    key: 'statusReportGoodTimeDays',
    section: '§2.2',
    textNb: 'i god tid før samarbeidsmøtet som har status som boligmøte',
    meaning:
      'days the status report must come before the housing meeting: its deadline is no later, and the housing meeting is refused when the report came later',
    unit: 'days',
    env: 'RULE_STATUS_REPORT_GOOD_TIME_DAYS',
    default: 7,
  },
  {
    key: 'dischargedWithoutMoveInDays',
    section: 'product',
    textNb: null,
    meaning:
      'days after discharge that the bydel is reminded to record where the resident went, when neither a move-in nor another end is recorded',
    unit: 'days',
    env: 'RULE_DISCHARGED_WITHOUT_MOVE_IN_DAYS',
    default: 14,
  },
];

export const DEFAULT_INTERPRETATIONS: Interpretations = Object.fromEntries(
  INTERPRETATION_RULES.map((r) => [r.key, r.default]),
) as Interpretations;

/**
 * The interpretations a stay runs with: what it was registered with, and the defaults for any added since (a stay
 * registered before an interpretation existed gets its default, never the running configuration's value).
 */
export const withDefaults = (registered: Partial<Interpretations>): Interpretations => ({
  ...DEFAULT_INTERPRETATIONS,
  ...registered,
});

/** Reads overrides such as RULE_STATUS_REPORT_CAUSES_DAYS=10; refuses anything but a positive whole number. */
export function loadInterpretations(env: Record<string, string | undefined>): Interpretations {
  const result = { ...DEFAULT_INTERPRETATIONS };
  for (const { key, env: name } of INTERPRETATION_RULES) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 365) {
      throw new Error(`${name} must be a whole number between 1 and 365, got "${raw}"`);
    }
    result[key] = value;
  }
  return result;
}
