import { z } from 'zod';
import { emailAddress } from './email';
import { EscalationKind } from './escalations';
import { page, pagingQuery } from './paging';

/** Who an organisation tells about its reminders and escalations, and how (README: notifications). */
export const NotificationRecipient = z.object({
  email: emailAddress('an e-mail address, like koordinator@bydel.oslo.kommune.no'),
  role: z.enum(['coordinator', 'leader']),
  delivery: z
    .enum(['immediate', 'digest'])
    .default('immediate')
    .meta({ description: 'immediate e-mail, or one daily digest' }),
  digestTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (Oslo time)')
    .default('07:00')
    .meta({ description: 'Oslo time of the daily digest (HH:MM)' }),
});

/**
 * Each e-mail address once, and whether the webhook is an address the engine may call, are decided when the settings
 * are saved (422; config/webhook-target.ts): a body this schema accepts is never refused with 400.
 */
export const NotificationSettingsBody = z.object({
  recipients: z.array(NotificationRecipient).max(200),
  webhook: z
    .object({
      url: z
        .string()
        .max(2000)
        .regex(/^https?:\/\//, 'an http(s) URL'),
      secret: z.string().min(16, 'the signing secret must be at least 16 characters').max(200),
    })
    .nullable()
    .default(null),
});

/** The settings as they are read back: the webhook's signing secret is write-only and never returned. */
export const NotificationSettings = z.object({
  orgId: z.string(),
  recipients: z.array(
    z.object({
      email: z.string(),
      role: NotificationRecipient.shape.role,
      delivery: z.enum(['immediate', 'digest']),
      digestTime: z.string(),
    }),
  ),
  webhook: z.object({ url: z.string(), hasSecret: z.literal(true) }).nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

// cancelled: queued for a bydel that the stay was handed over from before it went out
export const DeliveryStatus = z.enum(['pending', 'sent', 'failed', 'cancelled']);

/** The §3 hand-overs and meeting changes that notify the party that must act (besides escalations). */
export const EVENT_KINDS = [
  'housing-offered',
  'status-report-received',
  'final-report-sent',
  'meeting-planned',
  'meeting-moved',
  'meeting-cancelled',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One row of the notification outbox: one escalation or event, one channel, one recipient. */
export const Delivery = z.object({
  id: z.string().meta({ description: 'the delivery id (Message-ID <id@stay-transition>, X-Delivery-Id)' }),
  escalationId: z.string().nullable(),
  eventId: z
    .string()
    .nullable()
    .meta({ description: 'a delivery about an event (housing offered, a report, a meeting) instead of an escalation' }),
  forecastDigestId: z.string().nullable().meta({
    description: 'a weekly forecast digest to the organisation (its deadlines of the next 14 days), about no one stay',
  }),
  stayId: z.string().nullable().meta({ description: 'null for a weekly forecast digest' }),
  milestone: z.string().meta({ description: 'for an event: the milestone it concerns, else its kind' }),
  kind: z.enum([...EscalationKind.options, ...EVENT_KINDS, 'forecast-digest']),
  dueDate: z.string(),
  channel: z.enum(['email', 'webhook']),
  recipient: z.string(),
  orgId: z.string(),
  mode: z.enum(['immediate', 'digest']),
  status: DeliveryStatus,
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const DeliveryQuery = z.object({
  status: DeliveryStatus.optional(),
  escalationId: z.uuid().optional(),
  ...pagingQuery({ max: 200, defaultLimit: 50 }),
});

export const DeliveryPage = page(Delivery);

/**
 * An organisation with open alarms that reached nobody by e-mail: no coordinator (or leader, at the second level), no
 * one who took the deadline and no contact of the stay with an address. Only its inbox shows them.
 */
export const UnreachedOrganisation = z.object({
  orgId: z.string(),
  name: z.string().nullable().meta({ description: 'from the organisation register; null for an id it does not know' }),
  openAlarms: z.number().int().meta({ description: 'open (neither acknowledged nor resolved) alarms addressed to it' }),
  oldestRaisedAt: z.string().meta({ description: 'when the longest-waiting of them was first raised' }),
  hasWebhook: z.boolean().meta({ description: "whether its webhook is called (the organisation's own system)" }),
});
export const UnreachedList = z.object({ items: z.array(UnreachedOrganisation) });

export type NotificationRecipient = z.infer<typeof NotificationSettings>['recipients'][number];
export type NotificationSettings = z.infer<typeof NotificationSettings>;
export type NotificationSettingsInput = z.output<typeof NotificationSettingsBody>;
export type Delivery = z.infer<typeof Delivery>;
export type UnreachedOrganisation = z.infer<typeof UnreachedOrganisation>;
export type DeliveryFilters = z.output<typeof DeliveryQuery>;
