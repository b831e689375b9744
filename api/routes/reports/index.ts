import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf } from '../../plugins/app/auth';
import { toCsv } from './csv';
import {
  COMPLIANCE_CSV_COLUMNS,
  ComplianceDeadlineList,
  ComplianceDrillDownQuery,
  ComplianceHeatmap,
  ComplianceHeatmapQuery,
  ComplianceQuery,
  ComplianceReport,
  Forecast,
  ForecastQuery,
  OutcomeQuery,
  OutcomeReport,
} from '../../../schemas/reports';

const DEFINITIONS =
  'A deadline falls due in the period when its due date (the agreed one after a deviation) lies in [from, to]; on time = done on or before it; late = done after it, or not done while the date has passed (Europe/Oslo); open = not done, not yet passed; not applicable = closed without being done (counted apart, not in `due`, not in the share). onTimeShare = onTime / (onTime + late). Days late: done − due, or today − due while not done; median and p90 by linear interpolation (percentile_cont). cooperation-meeting (a recommendation) is not a deadline. Scope: institution and bydel users see the stays currently at their institution / of their bydel, admins all; anonymised stays count.';

/** Figures for leaders: how well the Fellesskriv's deadlines are kept, from the read model (never from Temporal). */
const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/compliance',
    {
      schema: {
        summary: 'Compliance: deadlines due in a period, on time, late, open, per milestone, organisation or month',
        description: DEFINITIONS,
        tags: ['reports'],
        querystring: ComplianceQuery,
        response: { 200: ComplianceReport },
      },
    },
    async (req) => {
      const { groupBy, ...filters } = req.query;
      return app.reports.compliance.report(scopeOf(req.user), groupBy, filters);
    },
  );

  app.get(
    '/compliance.csv',
    {
      schema: {
        summary: 'The compliance report as CSV: a header of the field names, then the rows',
        description: DEFINITIONS,
        tags: ['reports'],
        querystring: ComplianceQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const { groupBy, ...filters } = req.query;
      const report = await app.reports.compliance.report(scopeOf(req.user), groupBy, filters);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="compliance-${groupBy}-${report.from}-${report.to}.csv"`)
        .send(toCsv(COMPLIANCE_CSV_COLUMNS, report.rows));
    },
  );

  app.get(
    '/compliance/heatmap',
    {
      schema: {
        summary: 'Compliance per institution (or bydel) × milestone: the figures of every cell of the heat map',
        description: DEFINITIONS,
        tags: ['reports'],
        querystring: ComplianceHeatmapQuery,
        response: { 200: ComplianceHeatmap },
      },
    },
    async (req) => {
      const { rows, ...filters } = req.query;
      return app.reports.compliance.heatmap(scopeOf(req.user), rows, filters);
    },
  );

  app.get(
    '/outcomes',
    {
      schema: {
        summary: 'Outcomes: length of stay, waiting for housing, readmissions, for the stays admitted in a period',
        description:
          'Per institution, bydel or month of admission. Durations in days with median and quartiles (percentile_cont), each over the stays that have it: length of stay over ended stays (admission → discharge or early end), admission → housing offered, housing offered → moved in. A readmission: a new stay linked by previousStayId, or a stay of the same residentRef at a VEL institution admitted within 12 months of the end. An anonymised stay has no residentRef left, so after the retention period only previousStayId links count. Scope as for the compliance report.',
        tags: ['reports'],
        querystring: OutcomeQuery,
        response: { 200: OutcomeReport },
      },
    },
    async (req) => {
      const { groupBy, ...filters } = req.query;
      return app.reports.outcomes.report(scopeOf(req.user), groupBy, filters);
    },
  );

  app.get(
    '/forecast',
    {
      schema: {
        summary: 'Which deadlines may be missed next ("kan bli forsinket")',
        description:
          'The open deadlines of your stays due from today up to `days` ahead with nothing recorded, ranked by how often the organisation responsible was late with that milestone over the last 12 months (a shared deadline: the worse of institution and bydel). `likely-late`: late in at least half of at least 3 decided deadlines. Planned meetings are not taken into account yet.',
        tags: ['reports'],
        querystring: ForecastQuery,
        response: { 200: Forecast },
      },
    },
    async (req) => app.reports.forecast.forecast(scopeOf(req.user), req.query.days),
  );

  app.get(
    '/compliance/stays',
    {
      schema: {
        summary: 'The deadlines behind a number of the compliance report (drill-down)',
        description:
          'The same query as the report, plus the row (`key`; unset = the total) and the count (`outcome`). Every stay listed is written to the access log (view `report`).',
        tags: ['reports'],
        querystring: ComplianceDrillDownQuery,
        response: { 200: ComplianceDeadlineList },
      },
    },
    async (req) => {
      const page = await app.reports.compliance.deadlines(scopeOf(req.user), req.query);
      await app.accessLog.recordEach(
        req.user,
        page.items.map((i) => i.stayId),
        'report',
        req.id,
      );
      return { ...page, limit: req.query.limit, offset: req.query.offset };
    },
  );
};

export default reportRoutes;
