import { z } from 'zod';

/** Calendars: the wire format of /api/calendar (feeds and their settings). */
export const FeedKind = z.enum(['user', 'organisation']).meta({
  description:
    'user: meetings and deadlines of the stays where you are a contact ("mine beboere"); organisation: of every stay of your organisation',
});

export const CalendarFeed = z.object({
  id: z.string(),
  kind: FeedKind,
  orgId: z.string(),
  mine: z.boolean().meta({ description: 'you created it' }),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().meta({ description: 'when a calendar client last fetched it' }),
});
export type CalendarFeed = z.infer<typeof CalendarFeed>;

export const CreateFeedBody = z.object({ kind: FeedKind }).strict();

export const CreatedFeed = CalendarFeed.extend({
  url: z.string().meta({
    description: 'the secret address to subscribe to (shown once; anyone with it reads the feed until it is revoked)',
  }),
});

export const FeedList = z.object({ feeds: z.array(CalendarFeed) });

export const FeedParams = z.object({ feedId: z.uuid({ error: 'a feed id is a UUID' }) });

export const FeedTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a feed address') });

export const CalendarSettings = z.object({
  orgId: z.string(),
  residentRefInTitles: z.boolean().meta({
    description: "event titles name the resident's pseudonymous reference (off unless the organisation opts in)",
  }),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type CalendarSettings = z.infer<typeof CalendarSettings>;

export const PutCalendarSettingsBody = z.object({ residentRefInTitles: z.boolean() }).strict();

export const OrgParams = z.object({ orgId: z.string().min(1).max(64) });
