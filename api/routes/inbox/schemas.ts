import { z } from 'zod';
import { MILESTONE_KEYS } from '../../../rules/types';

/** The inbox's wire format: the API validates and documents with these, the web app types its calls with them. */
export const InboxState = z.enum(['open', 'acknowledged', 'resolved']);

export const InboxQuery = z.object({
  state: z
    .string()
    .regex(
      /^(open|acknowledged|resolved)(,(open|acknowledged|resolved))*$/,
      'open, acknowledged and/or resolved, comma-separated',
    )
    .default('open,acknowledged')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(InboxState).min(1))
    .meta({ description: 'comma-separated: open, acknowledged, resolved (default open,acknowledged)' }),
  kind: z.enum(['reminder', 'overdue', 'second-level']).optional(),
  milestone: z.enum(MILESTONE_KEYS).optional(),
  stayId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const InboxItem = z.object({
  id: z.string(),
  stayId: z.string(),
  milestone: z.string(),
  kind: z.enum(['reminder', 'overdue', 'second-level']),
  level: z.enum(['reminder', 'overdue', 'second-level']),
  dueDate: z.string(),
  createdAt: z.string(),
  recipient: z.enum(['institution', 'bydel', 'both']),
  institutionId: z.string(),
  bydelId: z.string(),
  state: InboxState,
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  assignedTo: z.string().nullable(),
});

export type InboxItem = z.infer<typeof InboxItem>;
