import { z } from 'zod';
import { isoDate } from '../rules/milestone-details';
import { addOffset, isIsoDate } from '../rules/oslo-calendar';
import { COMPLIANCE_OUTCOMES, DEADLINE_KEYS, FORECAST } from '../rules/report-definitions';
import { MILESTONE_KEYS, type MilestoneKey } from '../rules/types';
import { page, pagingQuery } from './paging';

/** The reports' wire format: the API validates and documents with these, the web app types its calls with them. */

/** The longest period one report covers: five years of history and room to spare, and a bound on the work. */
export const MAX_REPORT_YEARS = 10;

const OrgId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'an organisation id is 1–64 letters, digits, ".", "_", ":" or "-"');

const periodIsValid = (q: { from: string; to: string }, ctx: z.RefinementCtx) => {
  // the dates themselves are refused by their own fields
  if (!isIsoDate(q.from) || !isIsoDate(q.to)) return;
  if (q.from > q.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must be on or after from (${q.from})` });
  } else if (addOffset(q.from, { months: 12 * MAX_REPORT_YEARS }) < q.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a report covers at most ${MAX_REPORT_YEARS} years` });
  }
};

const Period = {
  from: isoDate.meta({ description: 'first day of the period (Europe/Oslo), YYYY-MM-DD' }),
  to: isoDate.meta({ description: 'last day of the period, inclusive' }),
};

const Filters = {
  institutionId: OrgId.optional().meta({ description: "only stays at this institution (the stay's current one)" }),
  bydelId: OrgId.optional().meta({ description: "only stays of this bydel (the stay's current one)" }),
};

export const ComplianceGroupBy = z.enum(['milestone', 'institution', 'bydel', 'month']);

const notADeadline = `not a deadline; one of ${DEADLINE_KEYS.join(', ')} (cooperation-meeting is a recommendation, not a deadline)`;
// The documented enum is the deadlines only, so that every value the OpenAPI document offers is accepted.
const DeadlineKey = z.enum(DEADLINE_KEYS as [MilestoneKey, ...MilestoneKey[]], { error: notADeadline });

const complianceQueryShape = {
  ...Period,
  groupBy: ComplianceGroupBy.default('milestone'),
  ...Filters,
  milestone: DeadlineKey.optional(),
};

export const ComplianceQuery = z.object(complianceQueryShape).superRefine(periodIsValid);

export const ComplianceDrillDownQuery = z
  .object({
    ...complianceQueryShape,
    key: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "the report row's key (milestone key, organisation id or YYYY-MM); unset: the total" }),
    outcome: z.enum(['due', 'deviated', ...COMPLIANCE_OUTCOMES]).meta({ description: 'which count of the row' }),
    ...pagingQuery({ max: 500, defaultLimit: 100 }),
  })
  .superRefine(periodIsValid);

export const ComplianceFigures = z.object({
  due: z.number().meta({ description: 'deadlines that fell due in the period: on time + late + open' }),
  onTime: z.number(),
  late: z.number(),
  open: z.number(),
  notApplicable: z.number().meta({ description: 'counted apart; not in due, not in the share' }),
  deviated: z.number().meta({ description: 'due deadlines whose date an agreed deviation moved (§1)' }),
  onTimeShare: z.number().nullable().meta({ description: 'onTime / (onTime + late), 4 decimals; null when 0' }),
  daysLateMedian: z.number().nullable(),
  daysLateP90: z.number().nullable(),
});

export const ComplianceReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: ComplianceGroupBy,
  rows: z.array(ComplianceFigures.extend({ key: z.string() })),
  total: ComplianceFigures,
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;

export const ComplianceHeatmapQuery = z
  .object({
    ...Period,
    rows: z.enum(['institution', 'bydel']).default('institution'),
    ...Filters,
    milestone: DeadlineKey.optional(),
  })
  .superRefine(periodIsValid);

export const ComplianceHeatmap = z.object({
  from: z.string(),
  to: z.string(),
  rowsBy: z.enum(['institution', 'bydel']),
  rows: z.array(
    z.object({ key: z.string(), milestones: z.array(ComplianceFigures.extend({ key: z.enum(MILESTONE_KEYS) })) }),
  ),
});
export type ComplianceHeatmap = z.infer<typeof ComplianceHeatmap>;

/** The CSV's columns, in this order: the contract's field names. */
export const COMPLIANCE_CSV_COLUMNS = [
  'key',
  'due',
  'onTime',
  'late',
  'open',
  'notApplicable',
  'deviated',
  'onTimeShare',
  'daysLateMedian',
  'daysLateP90',
] as const satisfies readonly (keyof ComplianceReport['rows'][number])[];

export const ComplianceDeadlineItem = z.object({
  stayId: z.string(),
  residentRef: z.string(),
  institutionId: z.string(),
  bydelId: z.string(),
  milestone: z.enum(MILESTONE_KEYS),
  dueDate: z.string(),
  originalDueDate: z.string().nullable(),
  doneAt: z.string().nullable(),
  outcome: z.enum(COMPLIANCE_OUTCOMES),
  deviated: z.boolean(),
  daysLate: z.number().nullable(),
});

export const ComplianceDeadlineList = page(ComplianceDeadlineItem);
export type ComplianceDeadlineList = z.infer<typeof ComplianceDeadlineList>;

export const OutcomeGroupBy = z.enum(['institution', 'bydel', 'month']);

export const OutcomeQuery = z
  .object({ ...Period, groupBy: OutcomeGroupBy.default('institution'), ...Filters })
  .superRefine(periodIsValid);

const days = (description: string) => z.number().nullable().meta({ description });

export const OutcomeFigures = z.object({
  stays: z.number().meta({ description: 'stays admitted in the period' }),
  ended: z.number().meta({ description: 'of those, discharged or ended early' }),
  housingOffered: z.number(),
  movedIn: z.number(),
  lengthOfStayDaysMedian: days('admission → discharge or early end, ended stays only'),
  lengthOfStayDaysP25: days('first quartile'),
  lengthOfStayDaysP75: days('third quartile'),
  daysToHousingOfferMedian: days('admission → housing offered (§3)'),
  daysToHousingOfferP25: days('first quartile'),
  daysToHousingOfferP75: days('third quartile'),
  daysOfferToMoveInMedian: days('housing offered → moved in'),
  daysOfferToMoveInP25: days('first quartile'),
  daysOfferToMoveInP75: days('third quartile'),
  readmissionsWithin12Months: z.number().meta({
    description:
      'ended stays followed by a new stay linked by previousStayId, or by a stay of the same residentRef admitted within 12 months of the end (not countable once a stay is anonymised)',
  }),
});

export const OutcomeReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: OutcomeGroupBy,
  rows: z.array(OutcomeFigures.extend({ key: z.string() })),
  total: OutcomeFigures,
});
export type OutcomeReport = z.infer<typeof OutcomeReport>;

export const ForecastQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(60)
    .default(FORECAST.horizonDays)
    .meta({ description: 'the horizon: deadlines due from today up to this many days ahead' }),
});

export const ForecastItem = z.object({
  stayId: z.string(),
  residentRef: z.string(),
  institutionId: z.string(),
  bydelId: z.string(),
  milestone: z.enum(MILESTONE_KEYS),
  dueDate: z.string(),
  responsible: z.enum(['institution', 'bydel', 'both']),
  lateShare: z.number().nullable().meta({
    description: 'how often the responsible organisation was late with this milestone over the last 12 months',
  }),
  decided: z.number().meta({ description: 'its deadlines of this milestone decided (on time or late) then' }),
  risk: z
    .enum(['likely-late', 'usual', 'no-history'])
    .meta({ description: 'likely-late: the organisation is usually late with it ("kan bli forsinket")' }),
});

export const Forecast = z.object({ asOf: z.string(), until: z.string(), items: z.array(ForecastItem) });
export type Forecast = z.infer<typeof Forecast>;
export type ForecastItem = z.infer<typeof ForecastItem>;

export type ComplianceGroupBy = z.infer<typeof ComplianceGroupBy>;
export type ComplianceFigures = z.infer<typeof ComplianceFigures>;
export type ComplianceDeadline = z.infer<typeof ComplianceDeadlineItem>;
export type OutcomeGroupBy = z.infer<typeof OutcomeGroupBy>;
export type OutcomeFigures = z.infer<typeof OutcomeFigures>;
