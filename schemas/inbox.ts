import { z } from 'zod';
import { MILESTONE_KEYS } from '../rules/types';
import { EscalationKind, Recipient } from './escalations';
import { pagingQuery, stateListQuery } from './paging';

/** The inbox's wire format: the API validates and documents with these, the web app types its calls with them. */
export const InboxState = z.enum(['open', 'acknowledged', 'resolved']);

export const InboxQuery = z.object({
  state: stateListQuery(InboxState),
  kind: EscalationKind.optional().meta({ description: 'the current level of the deadline' }),
  milestone: z.enum(MILESTONE_KEYS).optional(),
  stayId: z.uuid().optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: only the items you took ("Ta saken"), and the deadlines of the milestones you took' }),
  myResidents: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: "true: only the deadlines of stays where you are one of the stay's contacts (your login)" }),
  sort: z.enum(['newest', 'resident']).default('newest').meta({
    description:
      "newest: the latest raised level first; resident: grouped by resident (the resident with the highest level and the latest raise first, each resident's deadlines together, highest level and earliest due date first), so that paging keeps a resident's deadlines together",
  }),
  ...pagingQuery({ max: 200, defaultLimit: 50 }),
});

export const InboxItem = z.object({
  id: z.string().meta({ description: 'the alarm: one per milestone and due date, however many steps it climbed' }),
  stayId: z.string(),
  residentRef: z.string().meta({ description: "the stay's pseudonymous resident reference" }),
  milestone: z.string(),
  kind: EscalationKind.meta({ description: 'the current level (same as `level`)' }),
  level: EscalationKind.meta({ description: 'the highest step of the ladder raised so far for this deadline' }),
  dueDate: z.string(),
  createdAt: z.string().meta({ description: 'when the current level was raised' }),
  firstRaisedAt: z.string().meta({ description: "when the deadline's first step was raised" }),
  escalationId: z.string().meta({ description: 'the escalation (GET /api/escalations) of the current level' }),
  steps: z
    .array(z.object({ id: z.string(), kind: EscalationKind, createdAt: z.string() }))
    .meta({ description: 'each step raised for this deadline, oldest first; each is its own escalation' }),
  recipient: Recipient,
  institutionId: z.string(),
  bydelId: z.string(),
  state: InboxState,
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  assignedTo: z.string().nullable(),
  assignedToName: z.string().nullable().meta({ description: 'who took it, by name (from their login), when known' }),
  acknowledgedByName: z.string().nullable(),
  milestoneAssignedTo: z
    .string()
    .nullable()
    .meta({ description: 'who took the milestone this deadline belongs to (on the stay page), if anyone' }),
  milestoneAssignedToName: z.string().nullable().meta({ description: 'the same person by name, when known' }),
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
