import { z } from 'zod';
import { pagingQuery } from './paging';

/** The views of a stay that are logged when read (Normen: access logging). */
export const AccessView = z.enum([
  'stay',
  'history',
  'workflow-history',
  'access-log',
  'user-access-log',
  'export',
  /** a stay listed behind a number of a report (drill-down) */
  'report',
  'contacts',
  'meetings',
  'calendar',
  'calendar-feed',
  'participation',
  'consent',
  'relatives',
  'applications',
  /** who follows up which milestone ("Ta saken") */
  'assignees',
  /** the stay was in a list the caller read (worklist, inbox, escalations, deliveries, reports) */
  'list',
  /** the stay as a command answered it */
  'command',
]);

/** One read of a stay: who, when, which view. */
export const AccessEntry = z.object({
  at: z.string(),
  actor: z.object({ sub: z.string(), role: z.string(), org: z.string().nullable() }),
  stayId: z.string().nullable(),
  view: z.string(),
  requestId: z.string().nullable(),
});

export const AccessLog = z.object({ items: z.array(AccessEntry) });

export const AccessLogPaging = pagingQuery({ max: 500, defaultLimit: 100 });

/** One event of a stay's Temporal history, its payloads decoded and summarised. */
export const WorkflowEvent = z.object({
  id: z.number(),
  time: z.string().nullable(),
  type: z.string(),
  summary: z.string().meta({ description: 'what happened, in plain words' }),
  data: z.unknown().meta({ description: "the event's payloads, decoded server-side (never sent encrypted)" }),
  raw: z.unknown(),
});

/** Where a stay's workflow is in the Temporal Web UI (`webUiUrl` null when none is configured). */
export const TemporalLink = z.object({ workflowId: z.string(), webUiUrl: z.string().nullable() });

export const WorkflowHistory = TemporalLink.extend({ items: z.array(WorkflowEvent) });

export type AccessView = z.infer<typeof AccessView>;
export type AccessEntry = z.infer<typeof AccessEntry>;
export type AccessLog = z.infer<typeof AccessLog>;
export type WorkflowEvent = z.infer<typeof WorkflowEvent>;
export type WorkflowHistory = z.infer<typeof WorkflowHistory>;
export type TemporalLink = z.infer<typeof TemporalLink>;
