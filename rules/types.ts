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
  'exit-meeting',
  'housing-follow-up-contact',
  'cooperation-agreement',
  'follow-up-meeting',
  'move-in-recorded',
  'final-report',
  'extra-status-report',
] as const;

/** Stable identifiers of milestones (API, database, UI). */
export type MilestoneKey = (typeof MILESTONE_KEYS)[number];

export const isMilestoneKey = (key: string): key is MilestoneKey => (MILESTONE_KEYS as readonly string[]).includes(key);

/** Events of a stay's life (fixed names of the API contract). */
export const STAY_EVENT_TYPES = ['housing-offered', 'discharged', 'moved-in', 'ended-early', 'bydel-changed'] as const;
export type StayEventType = (typeof STAY_EVENT_TYPES)[number];
export const isStayEventType = (type: string): type is StayEventType =>
  (STAY_EVENT_TYPES as readonly string[]).includes(type);

export const EARLY_END_REASONS = ['left', 'discharged-without-housing', 'moved-institution', 'died', 'other'] as const;
export type EarlyEndReason = (typeof EARLY_END_REASONS)[number];
