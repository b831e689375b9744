/** A calendar date in Europe/Oslo, `YYYY-MM-DD`. */
export type IsoDate = string;

/** The two organisations that share responsibility for a stay (§4), or both of them. */
export type Party = 'institution' | 'bydel' | 'both';

/** Who calls meetings at a given time (§2): the institution until housing is offered, then the bydel. */
export type Convener = 'institution' | 'bydel';

export const MILESTONE_KEYS = [
  'plan-started',
  'housing-mapping',
  'first-meeting',
  'status-report',
  'status-report-causes',
  'housing-meeting',
  'applications',
  'cooperation-meeting',
] as const;

/** Stable identifiers of milestones (API, database, UI). */
export type MilestoneKey = (typeof MILESTONE_KEYS)[number];

export const isMilestoneKey = (key: string): key is MilestoneKey =>
  (MILESTONE_KEYS as readonly string[]).includes(key);
