import type { IsoDate, MilestoneKey } from './types';

/** The milestones that are meetings (§2, §2.1, §3.1, §3.3): a meeting is planned for one of them. */
export const MEETING_MILESTONES = [
  'first-meeting',
  'housing-meeting',
  'cooperation-meeting',
  'exit-meeting',
  'follow-up-meeting',
] as const satisfies readonly MilestoneKey[];
export type MeetingMilestone = (typeof MEETING_MILESTONES)[number];

export const isMeetingMilestone = (key: string): key is MeetingMilestone =>
  (MEETING_MILESTONES as readonly string[]).includes(key);

/** Who can attend a meeting (what is recorded afterwards). */
export const MEETING_PARTIES = [
  'resident',
  'institution',
  'bydel',
  'housingFollowUpWorker',
  'relatives',
  'others',
] as const;
export type MeetingParty = (typeof MEETING_PARTIES)[number];
export type Attendance = Record<MeetingParty, boolean>;

/**
 * Parties that "plikter å delta": the bydel at the first cooperation meeting the institution convenes (§2.1), the
 * institution at the exit meeting (§3.1) and at the follow-up meeting (§3.3), both of which the bydel convenes.
 */
export const OBLIGATORY_PARTIES: Partial<
  Record<MeetingMilestone, { party: 'bydel' | 'institution'; section: string }>
> = {
  'first-meeting': { party: 'bydel', section: '§2.1' },
  'exit-meeting': { party: 'institution', section: '§3.1' },
  'follow-up-meeting': { party: 'institution', section: '§3.3' },
};

/**
 * §2: "Bolig skal være fast tema på alle samarbeidsmøter". Every meeting kind here is a cooperation meeting: the
 * first one and the housing meeting (§2.1), the recurring ones (§2), and the ones that have the status of exit
 * meeting (§3.1) and follow-up meeting (§3.3).
 */
export const HOUSING_ON_AGENDA_SECTION = '§2';

export type MeetingFlag =
  | { code: 'planned-after-deadline'; section: string; dueDate: IsoDate; message: string }
  | { code: 'obligatory-party-missing'; section: string; party: 'bydel' | 'institution'; message: string }
  | { code: 'housing-not-on-agenda'; section: string; message: string };

export type FlaggedMeeting = {
  milestone: MeetingMilestone;
  /** Oslo calendar date the meeting is (or was) planned for. */
  date: IsoDate;
  status: 'planned' | 'held' | 'cancelled';
  attendance: Attendance | null;
  housingOnAgenda: boolean | null;
};

/**
 * What is wrong with a meeting by the Fellesskriv, as soon as it can be known: a date after the milestone's due
 * date (the agreed one after a deviation; `section` is the milestone's) when it is planned, a missing obligatory
 * party and housing left off the agenda when its attendance is recorded. A cancelled meeting has no flags.
 */
export function meetingFlags(
  meeting: FlaggedMeeting,
  milestone: { dueDate: IsoDate | null; section: string } | null,
): MeetingFlag[] {
  if (meeting.status === 'cancelled') return [];
  const flags: MeetingFlag[] = [];
  if (milestone?.dueDate && meeting.date > milestone.dueDate)
    flags.push({
      code: 'planned-after-deadline',
      section: milestone.section,
      dueDate: milestone.dueDate,
      message: `The meeting is on ${meeting.date}, after the deadline ${milestone.dueDate} (${milestone.section}).`,
    });
  if (meeting.attendance) {
    const obligatory = OBLIGATORY_PARTIES[meeting.milestone];
    if (obligatory && !meeting.attendance[obligatory.party])
      flags.push({
        code: 'obligatory-party-missing',
        section: obligatory.section,
        party: obligatory.party,
        message: `The ${obligatory.party} must attend this meeting (${obligatory.section}) but did not.`,
      });
    if (meeting.housingOnAgenda === false)
      flags.push({
        code: 'housing-not-on-agenda',
        section: HOUSING_ON_AGENDA_SECTION,
        message: `Housing is a standing topic of every cooperation meeting (${HOUSING_ON_AGENDA_SECTION}) but was not on the agenda.`,
      });
  }
  return flags;
}
