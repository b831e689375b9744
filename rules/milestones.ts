import type { Interpretations } from './interpretations';
import type { Offset } from './oslo-calendar';
import type { MilestoneKey, Party } from './types';

/** From which date a milestone's deadline is counted. */
export type DueAnchor =
  /** day 0 = the admission date */
  | { from: 'admission'; offset: Offset }
  /** the date the milestone was opened (e.g. the bydel marked the status report insufficient) */
  | { from: 'opened'; offset: (i: Interpretations) => Offset }
  /** the latest cooperation meeting of any kind (first meeting, housing meeting, cooperation meeting) */
  | { from: 'last-meeting'; offset: (i: Interpretations) => Offset };

export type MilestoneRule = {
  key: MilestoneKey;
  /** Fellesskriv 3/2021 section the rule comes from. */
  section: string;
  /** Short English description (API docs); the UI carries its own Norwegian labels. */
  summary: string;
  titleNb: string;
  due: DueAnchor;
  /** Who must see to it; `convener` = whoever convenes meetings at the time (§2). */
  responsible: Party | 'convener';
  /** `overdue`: a missed deadline escalates. `reminder`: a recommendation, it only ever reminds. */
  onMissed: 'overdue' | 'reminder';
  /** Milestones that must be done first, on or before this one's date. */
  requires: MilestoneKey[];
  /** `admission`: part of every stay. `on-demand`: opened by an event during the stay. */
  opens: 'admission' | 'on-demand';
  /** A meeting: its date restarts the recurring cooperation-meeting interval. */
  isMeeting: boolean;
  /** Recurring: completing it records an occurrence and sets the next due date; it is never "done". */
  recurring: boolean;
  /** Set where the due date is the product's reading of vague text, not the text's own number. */
  interpretation?: keyof Interpretations;
};

/**
 * The in-stay milestones of Fellesskriv 3/2021 §2 — the one place where each deadline is defined.
 * The workflow computes timers from it, the API validates against it, the read model orders by it.
 */
export const MILESTONE_RULES: readonly MilestoneRule[] = [
  {
    key: 'plan-started',
    section: '§2.2',
    summary: 'Work on the stay plan has started, with the resident and the bydel',
    titleNb: 'Arbeid med plan for oppholdet startet',
    due: { from: 'admission', offset: { days: 14 } },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'admission',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'housing-mapping',
    section: '§2.2',
    summary: 'Housing mapping (a)–(e) done, before the first cooperation meeting',
    titleNb: 'Kartlegging av boligsituasjon',
    due: { from: 'admission', offset: { days: 28 } },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'admission',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'first-meeting',
    section: '§2.1',
    summary: 'First cooperation meeting held with housing on the agenda; institution convenes, bydel attends',
    titleNb: 'Første samarbeidsmøte',
    due: { from: 'admission', offset: { days: 28 } },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: ['housing-mapping'],
    opens: 'admission',
    isMeeting: true,
    recurring: false,
  },
  {
    key: 'status-report',
    section: '§2.2',
    summary: 'Status report: recommended housing type and booppfølging need, resident wishes and professional assessment',
    titleNb: 'Statusrapport',
    due: { from: 'admission', offset: { months: 4 } },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'admission',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'status-report-causes',
    section: '§2.2',
    summary: 'Bydel found the status report insufficient: institution and bydel map the causes as soon as possible',
    titleNb: 'Kartlegging av årsaker (mangelfull statusrapport)',
    due: { from: 'opened', offset: (i) => ({ days: i.statusReportCausesDays }) },
    responsible: 'both',
    onMissed: 'overdue',
    requires: ['status-report'],
    opens: 'on-demand',
    isMeeting: false,
    recurring: false,
    interpretation: 'statusReportCausesDays',
  },
  {
    key: 'housing-meeting',
    section: '§2.1',
    summary: 'Housing meeting held after the status report; help needed and who prepares which applications agreed',
    titleNb: 'Boligmøte',
    due: { from: 'admission', offset: { months: 5 } },
    responsible: 'convener',
    onMissed: 'overdue',
    requires: ['status-report'],
    opens: 'admission',
    isMeeting: true,
    recurring: false,
  },
  {
    key: 'applications',
    section: '§2.2',
    summary: 'Necessary applications and referrals prepared and sent, each tracked',
    titleNb: 'Søknader sendt',
    due: { from: 'admission', offset: { months: 6 } },
    responsible: 'both',
    onMissed: 'overdue',
    requires: [],
    opens: 'admission',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'cooperation-meeting',
    section: '§2',
    summary: 'Recurring cooperation meeting with housing on the agenda, recommended about every 2 months',
    titleNb: 'Samarbeidsmøte (jevnlig)',
    due: { from: 'last-meeting', offset: (i) => ({ months: i.cooperationMeetingIntervalMonths }) },
    responsible: 'convener',
    onMissed: 'reminder',
    requires: [],
    opens: 'admission',
    isMeeting: true,
    recurring: true,
    interpretation: 'cooperationMeetingIntervalMonths',
  },
];

const BY_KEY = new Map(MILESTONE_RULES.map((r) => [r.key, r]));

export function milestoneRule(key: MilestoneKey): MilestoneRule {
  const rule = BY_KEY.get(key);
  if (!rule) throw new Error(`no rule for milestone ${key}`);
  return rule;
}

/** Bumped when a rule changes meaning; recorded in each workflow so old stays can be told apart. */
export const RULES_VERSION = 1;
