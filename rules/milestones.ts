import type { Interpretations } from './interpretations';
import type { Offset } from './oslo-calendar';
import type { MilestoneKey, Party, StayEventType } from './types';

/** From which date a milestone's deadline is counted. */
export type DueAnchor =
  /** day 0 = the admission date */
  | { from: 'admission'; offset: Offset }
  /** the date the milestone was opened (e.g. the bydel marked the status report insufficient) */
  | { from: 'opened'; offset: (i: Interpretations) => Offset }
  /**
   * the latest cooperation meeting of any kind (first meeting, housing meeting, cooperation meeting); before any is
   * held, the due date of `untilFirst` (the first meeting's deadline), so a stay is never without the next meeting
   */
  | { from: 'last-meeting'; offset: (i: Interpretations) => Offset; untilFirst: MilestoneKey }
  /** the date housing was offered or found (§3) */
  | { from: 'housing-offered'; offset: (i: Interpretations) => Offset }
  /** the move-in date; before the move-in is recorded, the expected move-in date given with the offer */
  | { from: 'move-in'; offset: (i: Interpretations) => Offset }
  /** the end of the stay: discharge, or the date a stay ended early */
  | { from: 'stay-end'; offset: Offset }
  /** the discharge date (§3) */
  | { from: 'discharge'; offset: (i: Interpretations) => Offset }
  /** dates agreed for this stay (extra status reports): due is the earliest agreed date not yet met */
  | { from: 'agreed' };

/** What opens a milestone: admission, an event, or an action during the stay. */
export type Opening = 'admission' | 'on-demand' | 'housing-offered' | 'moved-in' | 'stay-end' | 'discharged';

/**
 * A deadline tied to another milestone's deadline (its anchor): due no later than the anchor's due date + `offset`,
 * and when an agreed deviation (§1) moves the anchor, this one moves by the same number of days — unless it has an
 * agreed deviation of its own. When the anchor is completed, this one must have been done by the anchor's completion
 * date + `offset` (the anchor `requires` it).
 */
export type DeadlineAnchor = {
  milestone: MilestoneKey;
  /** Negative: this deadline comes that long before the anchor ("in good time before"). */
  offset: (i: Interpretations) => Offset;
  /**
   * The field of the anchor's completion in which the parties record that they agreed to go ahead although this one
   * came later than the offset allows (§1: other time frames can be agreed).
   */
  waiver?: string;
};

/**
 * What housing offered (§3) does to an in-stay housing-track milestone that is not yet done and not yet overdue on the
 * offer date — the track exists to find housing (§2), so its remaining deadlines no longer escalate:
 * - `superseded`: closes as not applicable ("superseded by the housing offer"); it can still be recorded if it was done;
 * - `open-without-deadline`: stays open to record what is still sent, without a deadline, never escalating.
 * One already overdue on the offer date stays as it was (its missed deadline is real) but raises nothing further.
 * Withdrawing the offer (a correction) reopens them with their original due dates.
 */
export type OnHousingOffered = 'superseded' | 'open-without-deadline';

/**
 * The escalation ladder of a deadline: a reminder before it to whoever is responsible, `overdue` at 00:00 Oslo the day
 * after it, and a second level to both institution and bydel (with their leaders) when it is still open some days
 * later — §4 makes the two equally responsible that the Fellesskriv is followed. The numbers are the product's.
 */
export type Ladder = {
  /** Days before the due date that the reminder goes out (at 00:00 Oslo); null = no reminder. */
  reminderDaysBefore: number | null;
  /** Days after the due date that a still-open deadline goes to both parties; null = never. */
  secondLevelDaysAfter: number | null;
};

export const DEFAULT_LADDER: Ladder = { reminderDaysBefore: 7, secondLevelDaysAfter: 14 };
export const LADDER_SECTION = '§4';

export function ladderOf(rule: MilestoneRule): Ladder {
  const ladder = { ...DEFAULT_LADDER, ...rule.ladder };
  // a recommendation only ever reminds
  return rule.onMissed === 'reminder' ? { ...ladder, secondLevelDaysAfter: null } : ladder;
}

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
  /** `admission`: part of every stay; `on-demand`: opened by an action; otherwise the event that opens it. */
  opens: Opening;
  /** In-stay milestones (§2) close as not applicable when the stay ends; §3 milestones carry on. */
  phase: 'stay' | 'transition';
  /** Applies only when the housing offer says so (§3); otherwise shown as not applicable, never overdue. */
  applicableWhen?: 'booppfolging-decision' | 'follow-up-condition';
  /** A meeting: its date restarts the recurring cooperation-meeting interval. */
  isMeeting: boolean;
  /** Recurring: completing it records an occurrence and sets the next due date; it is never "done". */
  recurring: boolean;
  /** The escalation ladder of this deadline where it differs from DEFAULT_LADDER. */
  ladder?: Partial<Ladder>;
  /** Set where the due date is the product's reading of vague text, not the text's own number. */
  interpretation?: keyof Interpretations;
  /** A deadline that follows another one (see DeadlineAnchor). */
  anchor?: DeadlineAnchor;
  /** In-stay housing track: what a housing offer does to it while it is open (see OnHousingOffered). */
  onHousingOffered?: OnHousingOffered;
  /** Settled by recording one of these events, not by a completion of its own. */
  settledBy?: readonly StayEventType[];
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
    phase: 'stay',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'housing-mapping',
    section: '§2.2',
    summary: 'Housing mapping (a)–(e) done, before the first cooperation meeting',
    titleNb: 'Kartlegging av boligsituasjon',
    due: { from: 'admission', offset: { days: 28 } },
    // "før første samarbeidsmøte": it follows the first meeting's deadline when that one is moved
    anchor: { milestone: 'first-meeting', offset: () => ({}) },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'admission',
    phase: 'stay',
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
    phase: 'stay',
    isMeeting: true,
    recurring: false,
  },
  {
    key: 'status-report',
    section: '§2.2',
    summary:
      'Status report: recommended housing type and booppfølging need, resident wishes and professional assessment',
    titleNb: 'Statusrapport',
    due: { from: 'admission', offset: { months: 4 } },
    // "i god tid før samarbeidsmøtet som har status som boligmøte"
    anchor: {
      milestone: 'housing-meeting',
      offset: (i) => ({ days: -i.statusReportGoodTimeDays }),
      waiver: 'statusReportLateAgreed',
    },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'admission',
    phase: 'stay',
    isMeeting: false,
    recurring: false,
    onHousingOffered: 'superseded',
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
    phase: 'stay',
    isMeeting: false,
    recurring: false,
    interpretation: 'statusReportCausesDays',
    onHousingOffered: 'superseded',
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
    phase: 'stay',
    isMeeting: true,
    recurring: false,
    onHousingOffered: 'superseded',
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
    phase: 'stay',
    isMeeting: false,
    recurring: false,
    // The list also names follow-up services (booppfølging, frivillig forvaltning, ruspoliklinikk, FACT) that are
    // still applied for once housing is found: the milestone stays open to record them, but is no housing deadline.
    onHousingOffered: 'open-without-deadline',
  },
  {
    key: 'cooperation-meeting',
    section: '§2',
    summary: 'Recurring cooperation meeting with housing on the agenda, recommended about every 2 months',
    titleNb: 'Samarbeidsmøte (jevnlig)',
    due: {
      from: 'last-meeting',
      offset: (i) => ({ months: i.cooperationMeetingIntervalMonths }),
      untilFirst: 'first-meeting',
    },
    responsible: 'convener',
    onMissed: 'reminder',
    requires: [],
    opens: 'admission',
    phase: 'stay',
    isMeeting: true,
    recurring: true,
    interpretation: 'cooperationMeetingIntervalMonths',
  },
  {
    key: 'exit-meeting',
    section: '§3.1',
    summary:
      'Exit meeting held and exit plan made, at the latest immediately after housing is offered; bydel convenes, institution attends',
    titleNb: 'Utflyttingsmøte',
    due: { from: 'housing-offered', offset: (i) => ({ days: i.exitMeetingDays }) },
    responsible: 'bydel',
    onMissed: 'overdue',
    ladder: { reminderDaysBefore: 2 },
    requires: [],
    opens: 'housing-offered',
    phase: 'transition',
    isMeeting: true,
    recurring: false,
    interpretation: 'exitMeetingDays',
  },
  {
    key: 'housing-follow-up-contact',
    section: '§3',
    summary:
      'Contact established with the booppfølger, at the latest on the move-in date (only with a vedtak on booppfølging)',
    titleNb: 'Kontakt med booppfølger etablert',
    due: { from: 'move-in', offset: () => ({}) },
    responsible: 'bydel',
    onMissed: 'overdue',
    requires: [],
    opens: 'housing-offered',
    phase: 'transition',
    applicableWhen: 'booppfolging-decision',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'cooperation-agreement',
    section: '§3',
    summary:
      'Cooperation agreement between resident and bydel by the move-in date (only when the housing came with a follow-up condition)',
    titleNb: 'Samarbeidsavtale inngått',
    due: { from: 'move-in', offset: () => ({}) },
    responsible: 'bydel',
    onMissed: 'overdue',
    requires: [],
    opens: 'housing-offered',
    phase: 'transition',
    applicableWhen: 'follow-up-condition',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'follow-up-meeting',
    section: '§3.3',
    summary:
      'Follow-up meeting about 4 weeks after moving in: exit plan reviewed, items closed or continued; bydel convenes, institution attends',
    titleNb: 'Oppfølgingsmøte',
    due: { from: 'move-in', offset: (i) => ({ days: i.followUpMeetingDays }) },
    responsible: 'bydel',
    onMissed: 'overdue',
    requires: [],
    opens: 'moved-in',
    phase: 'transition',
    isMeeting: true,
    recurring: false,
    interpretation: 'followUpMeetingDays',
  },
  {
    key: 'move-in-recorded',
    section: '§3',
    summary:
      'After discharge the bydel records where the resident went (moved-in, or ended-early with the reason): reminded when neither is recorded in time',
    titleNb: 'Innflytting eller annen avslutning registrert',
    due: { from: 'discharge', offset: (i) => ({ days: i.dischargedWithoutMoveInDays }) },
    // the reminder goes on the day the interpretation's days have passed, not before
    ladder: { reminderDaysBefore: 0 },
    responsible: 'bydel',
    onMissed: 'reminder',
    requires: [],
    opens: 'discharged',
    phase: 'transition',
    isMeeting: false,
    recurring: false,
    interpretation: 'dischargedWithoutMoveInDays',
    settledBy: ['moved-in', 'ended-early'],
  },
  {
    key: 'final-report',
    section: '§3.3',
    summary: 'Final report on the stay sent to the bydel, 3 weeks after the stay ended',
    titleNb: 'Sluttrapport',
    due: { from: 'stay-end', offset: { days: 21 } },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'stay-end',
    phase: 'transition',
    isMeeting: false,
    recurring: false,
  },
  {
    key: 'extra-status-report',
    section: '§2.2',
    summary: 'Extra status report agreed for this stay, each with its own due date',
    titleNb: 'Ekstra statusrapport',
    due: { from: 'agreed' },
    responsible: 'institution',
    onMissed: 'overdue',
    requires: [],
    opens: 'on-demand',
    phase: 'stay',
    isMeeting: false,
    recurring: false,
  },
];

/**
 * Periods of §3 that are not milestones. The institution stays available for 4 weeks after discharge (the
 * resident can call or visit, home visits can be agreed); its participation ends 4 weeks after moving out unless
 * the exit plan agreed another date (§3.3).
 */
export const INSTITUTION_AVAILABILITY = { section: '§3', offset: { days: 28 } } as const;
export const PARTICIPATION_END = { section: '§3.3', offset: { days: 28 } } as const;

const BY_KEY = new Map(MILESTONE_RULES.map((r) => [r.key, r]));

export function milestoneRule(key: MilestoneKey): MilestoneRule {
  const rule = BY_KEY.get(key);
  if (!rule) throw new Error(`no rule for milestone ${key}`);
  return rule;
}

/**
 * Bumped when a rule changes meaning; recorded in each workflow so old stays can be told apart. A running stay adopts
 * a new version from its next workflow task on (the workflow gates it with a patch).
 * 3: a housing offer supersedes the housing track; anchored deadlines; deviations confirmed by both parties; the
 *    cooperation meeting reminds every interval; the reminder after a discharge without move-in; a closed stay
 *    refuses every command.
 */
export const RULES_VERSION = 3;
