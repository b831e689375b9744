import type { Attendance, MeetingMilestone } from '../../../rules/meeting-flags';
import type { Meeting } from '../../../schemas/meetings';

/** A planned meeting as the meetings table (with its invitations) gives it: read by the meetings and their notifications. */
export type MeetingRow = {
  id: string;
  stay_id: string;
  milestone: MeetingMilestone;
  planned_at: Date;
  duration_minutes: number;
  place: string | null;
  video_link: string | null;
  status: Meeting['status'];
  attendance: Attendance | null;
  housing_on_agenda: boolean | null;
  moves: number;
  created_at: Date;
  updated_at: Date;
  invited: string[];
};
