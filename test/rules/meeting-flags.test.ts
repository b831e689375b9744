import { describe, expect, it } from 'vitest';
import { type Attendance, type FlaggedMeeting, meetingFlags } from '../../rules/meeting-flags';
import { osloInstant, osloLocal } from '../../rules/oslo-time';

const everyone: Attendance = {
  resident: true,
  institution: true,
  bydel: true,
  housingFollowUpWorker: false,
  relatives: false,
  others: false,
};
const planned = (over: Partial<FlaggedMeeting> = {}): FlaggedMeeting => ({
  milestone: 'first-meeting',
  date: '2026-02-02',
  status: 'planned',
  attendance: null,
  housingOnAgenda: null,
  ...over,
});
const firstMeeting: { dueDate: string | null; section: string } = { dueDate: '2026-02-02', section: '§2.1' };
const codes = (m: FlaggedMeeting, due = firstMeeting) => meetingFlags(m, due).map((f) => f.code);

describe('meetingFlags', () => {
  it('flags a meeting planned after the deadline at once, and not one on the due date itself', () => {
    expect(codes(planned({ date: '2026-02-02' }))).toEqual([]);
    expect(meetingFlags(planned({ date: '2026-02-03' }), firstMeeting)).toEqual([
      expect.objectContaining({ code: 'planned-after-deadline', dueDate: '2026-02-02', section: '§2.1' }),
    ]);
  });

  it('has nothing to compare with before the milestone has a due date (exit meeting before the offer)', () => {
    expect(
      codes(planned({ milestone: 'exit-meeting', date: '2030-01-01' }), { dueDate: null, section: '§3.1' }),
    ).toEqual([]);
  });

  it('flags the bydel missing from the first meeting (§2.1) and the institution from the exit and follow-up meetings (§3.1, §3.3)', () => {
    const held = (milestone: FlaggedMeeting['milestone'], attendance: Partial<Attendance>) =>
      meetingFlags(
        planned({ milestone, status: 'held', attendance: { ...everyone, ...attendance }, housingOnAgenda: true }),
        null,
      );
    expect(held('first-meeting', { bydel: false })).toEqual([
      expect.objectContaining({ code: 'obligatory-party-missing', party: 'bydel', section: '§2.1' }),
    ]);
    expect(held('exit-meeting', { institution: false })).toEqual([
      expect.objectContaining({ code: 'obligatory-party-missing', party: 'institution', section: '§3.1' }),
    ]);
    expect(held('follow-up-meeting', { institution: false })).toEqual([
      expect.objectContaining({ code: 'obligatory-party-missing', party: 'institution', section: '§3.3' }),
    ]);
    // no party is obligatory by the text at the housing meeting or the recurring ones
    expect(held('housing-meeting', { bydel: false, institution: false })).toEqual([]);
    expect(held('first-meeting', { institution: false })).toEqual([]);
  });

  it('flags housing left off the agenda of any cooperation meeting (§2)', () => {
    for (const milestone of ['cooperation-meeting', 'exit-meeting'] as const)
      expect(
        codes(planned({ milestone, status: 'held', attendance: everyone, housingOnAgenda: false }), {
          dueDate: null,
          section: '§2',
        }),
      ).toEqual(['housing-not-on-agenda']);
  });

  it('gives a cancelled meeting no flags', () => {
    expect(codes(planned({ date: '2026-03-01', status: 'cancelled' }))).toEqual([]);
  });
});

describe('Oslo wall-clock times', () => {
  it('reads a local time in Oslo in winter and in summer', () => {
    expect(new Date(osloInstant('2026-01-15T10:00')!).toISOString()).toBe('2026-01-15T09:00:00.000Z');
    expect(new Date(osloInstant('2026-06-15T10:00')!).toISOString()).toBe('2026-06-15T08:00:00.000Z');
    expect(osloLocal(Date.parse('2026-06-15T08:00:00Z'))).toBe('2026-06-15T10:00');
  });

  it('refuses a time Oslo clocks skip when summer time starts, and malformed ones', () => {
    expect(osloInstant('2026-03-29T02:30')).toBeNull();
    expect(osloInstant('2026-03-29T03:00')).not.toBeNull();
    expect(osloInstant('2026-02-30T10:00')).toBeNull();
    expect(osloInstant('2026-01-15 10:00')).toBeNull();
    expect(osloInstant('2026-01-15T10:00:00')).toBeNull();
  });
});
