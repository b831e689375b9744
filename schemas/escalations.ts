import { z } from 'zod';
import { page, pagingQuery } from './paging';

/** The three steps of a deadline's ladder (README: the escalation ladder). */
export const EscalationKind = z.enum(['reminder', 'overdue', 'second-level']);

/** Whom an escalation is addressed to: one of the two organisations, or both (second level, §4). */
export const Recipient = z.enum(['institution', 'bydel', 'both']);

export const EscalationQuery = z.object({
  stayId: z.uuid().optional(),
  kind: EscalationKind.optional(),
  ...pagingQuery({ max: 200, defaultLimit: 50 }),
});

export const Escalation = z.object({
  id: z.string(),
  stayId: z.string(),
  milestone: z.string(),
  kind: EscalationKind,
  dueDate: z.string(),
  recipient: Recipient,
  institutionId: z.string(),
  bydelId: z.string(),
  createdAt: z.string(),
});

export const EscalationPage = page(Escalation);

export type Escalation = z.infer<typeof Escalation>;
export type EscalationFilters = z.output<typeof EscalationQuery>;
