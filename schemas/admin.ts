import { z } from 'zod';
import { INTERPRETATION_RULES, type InterpretationKey } from '../rules/interpretations';
import { MILESTONE_KEYS } from '../rules/types';
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
  /** its deadlines under its own rules and under the current (or proposed) ones */
  'rule-diff',
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

/**
 * The rule set to compare with: the running configuration (GET /api/config/rules), with any interpretation given
 * here in its place — a change an administrator considers, judged before it is rolled out.
 */
export const RuleDiffQuery = z.object(
  Object.fromEntries(
    INTERPRETATION_RULES.map((r) => [
      r.key,
      z.coerce
        .number()
        .int()
        .min(1)
        .max(365)
        .optional()
        .meta({ description: `${r.meaning} (${r.section}); default: the running value (${r.env})` }),
    ]),
  ) as Record<InterpretationKey, z.ZodOptional<z.ZodCoercedNumber<unknown>>>,
);

const RuleSetValues = z.object({
  rulesVersion: z.number(),
  interpretations: z.record(z.string(), z.number()),
});

const InterpretationChange = z.object({
  key: z.enum(INTERPRETATION_RULES.map((r) => r.key) as [InterpretationKey, ...InterpretationKey[]]),
  section: z.string(),
  unit: z.enum(['days', 'months']),
  stay: z.number().meta({ description: "the stay's value" }),
  target: z.number(),
});

export const RuleDiff = z.object({
  stayId: z.string(),
  stay: RuleSetValues.meta({ description: 'the rules the stay runs by' }),
  target: RuleSetValues.meta({ description: 'the current (or proposed) rules' }),
  interpretations: z.array(InterpretationChange).meta({ description: 'the interpretations whose values differ' }),
  changes: z
    .array(
      z.object({
        milestone: z.enum(MILESTONE_KEYS),
        section: z.string(),
        underStay: z.string().nullable(),
        underTarget: z.string().nullable(),
        open: z.boolean().meta({ description: 'not done and still applicable' }),
      }),
    )
    .meta({ description: 'the deadlines that fall on another date under the target rules' }),
});
export type RuleDiff = z.infer<typeof RuleDiff>;

export const RuleDiffSummary = z.object({
  target: RuleSetValues,
  openStays: z.number().meta({ description: 'active stays' }),
  staysOnOtherRules: z.number().meta({ description: 'active stays whose rules differ from the target' }),
  staysAffected: z.number().meta({ description: 'active stays with at least one open deadline that would move' }),
  unreadable: z.number().meta({ description: 'stays whose workflow could not be asked (not counted above)' }),
  milestones: z.array(
    z.object({
      milestone: z.enum(MILESTONE_KEYS),
      section: z.string(),
      stays: z.number().meta({ description: 'open stays whose open deadline of this milestone would move' }),
      earlier: z.number(),
      later: z.number(),
      appears: z.number().meta({ description: 'no date under their rules, a date under the target' }),
      disappears: z.number(),
    }),
  ),
});
export type RuleDiffSummary = z.infer<typeof RuleDiffSummary>;
