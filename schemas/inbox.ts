import { z } from 'zod';
import { MILESTONE_KEYS } from '../rules/types';
import { EscalationKind, Recipient } from './escalations';
import { pagingQuery } from './paging';

/** The inbox's wire format: the API validates and documents with these, the web app types its calls with them. */
export const InboxState = z.enum(['open', 'acknowledged', 'resolved']);

export const InboxQuery = z.object({
  state: z
    .string()
    .default('open,acknowledged')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(InboxState).min(1))
    .meta({ description: 'comma-separated: open, acknowledged, resolved (default open,acknowledged)' }),
  kind: EscalationKind.optional(),
  milestone: z.enum(MILESTONE_KEYS).optional(),
  stayId: z.uuid().optional(),
  ...pagingQuery({ max: 200, defaultLimit: 50 }),
});

export const InboxItem = z.object({
  id: z.string(),
  stayId: z.string(),
  milestone: z.string(),
  kind: EscalationKind,
  level: EscalationKind,
  dueDate: z.string(),
  createdAt: z.string(),
  recipient: Recipient,
  institutionId: z.string(),
  bydelId: z.string(),
  state: InboxState,
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  assignedTo: z.string().nullable(),
});

export const InboxPage = z.object({
  items: z.array(InboxItem),
  total: z.number(),
  counts: z.object({ open: z.number(), acknowledged: z.number(), resolved: z.number() }),
  limit: z.number(),
  offset: z.number(),
});

export type InboxItem = z.infer<typeof InboxItem>;
export type InboxState = z.infer<typeof InboxState>;
export type InboxPage = z.infer<typeof InboxPage>;
