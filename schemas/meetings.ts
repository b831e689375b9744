import { z } from 'zod';
import { MEETING_MILESTONES, MEETING_PARTIES } from '../rules/meeting-flags';

/**
 * Meetings of a stay: the wire format of /api/stays/:id/meetings. The repository (api/plugins/app/meetings.ts) and
 * the web app take their types from here.
 */
export const MeetingMilestone = z.enum(MEETING_MILESTONES).meta({
  description:
    'first-meeting (§2.1) | housing-meeting (§2.1) | cooperation-meeting (§2, recurring) | exit-meeting (§3.1) | follow-up-meeting (§3.3)',
});

export const OsloLocalTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a local time in Oslo, YYYY-MM-DDTHH:mm')
  .meta({ example: '2026-03-02T10:00', description: 'wall-clock time in Europe/Oslo, YYYY-MM-DDTHH:mm' });

const Place = z.string().trim().min(1).max(300).meta({ description: 'where (a room, an address)' });
const VideoLink = z
  .url({ protocol: /^https$/, error: 'a video link is an https:// address' })
  .max(500)
  .meta({ example: 'https://teams.microsoft.com/l/meetup-join/…' });
const DurationMinutes = z.number().int().min(15).max(480).meta({ description: 'default 60' });
const Invited = z
  .array(z.uuid({ error: 'a contact id from GET /api/stays/:id/contacts' }))
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'a contact is invited once' })
  .meta({ description: 'contact ids of the stay (GET /api/stays/:id/contacts)' });

export const PlanMeetingBody = z
  .object({
    milestone: MeetingMilestone,
    plannedAt: OsloLocalTime,
    durationMinutes: DurationMinutes.optional(),
    place: Place.optional(),
    videoLink: VideoLink.optional(),
    invited: Invited.optional(),
  })
  .strict();
export type PlanMeetingBody = z.infer<typeof PlanMeetingBody>;

export const UpdateMeetingBody = z
  .object({
    plannedAt: OsloLocalTime.optional().meta({ description: 'move the meeting' }),
    durationMinutes: DurationMinutes.optional(),
    place: Place.nullable().optional(),
    videoLink: VideoLink.nullable().optional(),
    invited: Invited.optional(),
    status: z.literal('cancelled').optional().meta({ description: 'cancel the meeting' }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, {
    message: 'say what to change: plannedAt, place, videoLink, invited or status',
  });
export type UpdateMeetingBody = z.infer<typeof UpdateMeetingBody>;

export const Attendance = z
  .object(
    Object.fromEntries(MEETING_PARTIES.map((p) => [p, z.boolean()])) as Record<
      (typeof MEETING_PARTIES)[number],
      z.ZodBoolean
    >,
  )
  .strict()
  .meta({
    description: 'who attended: resident, institution, bydel, housingFollowUpWorker (booppfølger), relatives, others',
  });

export const AttendanceBody = z
  .object({
    attended: Attendance,
    housingOnAgenda: z.boolean().meta({ description: 'housing is a standing topic of every cooperation meeting (§2)' }),
  })
  .strict();
export type AttendanceBody = z.infer<typeof AttendanceBody>;

export const MeetingFlag = z.object({
  code: z.enum(['planned-after-deadline', 'obligatory-party-missing', 'housing-not-on-agenda']),
  section: z.string(),
  dueDate: z.string().optional(),
  party: z.enum(['bydel', 'institution']).optional(),
  message: z.string(),
});

export const Meeting = z.object({
  id: z.string(),
  milestone: MeetingMilestone,
  plannedAt: z.string().meta({ description: 'wall-clock time in Europe/Oslo, YYYY-MM-DDTHH:mm' }),
  start: z.string().meta({ description: 'the same instant in UTC (ISO 8601)' }),
  durationMinutes: z.number(),
  place: z.string().nullable(),
  videoLink: z.string().nullable(),
  invited: z.array(z.string()),
  status: z.enum(['planned', 'held', 'cancelled']),
  attendance: Attendance.nullable(),
  housingOnAgenda: z.boolean().nullable(),
  moves: z.number().meta({ description: 'how often the meeting was moved' }),
  flags: z.array(MeetingFlag).meta({ description: 'what is wrong by the Fellesskriv (rules/meeting-flags.ts)' }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Meeting = z.infer<typeof Meeting>;

export const NextPlanned = z.object({ id: z.string(), plannedAt: z.string() });

export const MeetingList = z.object({
  meetings: z.array(Meeting).meta({ description: 'oldest first, planned ones included' }),
  nextPlanned: z.partialRecord(MeetingMilestone, NextPlanned).meta({
    description:
      'per meeting milestone, the next planned meeting from today on (what the milestone shows as "planlagt")',
  }),
});
export type MeetingList = z.infer<typeof MeetingList>;

export const MeetingParams = z.object({
  id: z.uuid({ error: 'a stay id is a UUID' }),
  meetingId: z.uuid({ error: 'a meeting id is a UUID' }),
});
