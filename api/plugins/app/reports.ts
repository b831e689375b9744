import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { osloDate } from '../../../rules/oslo-calendar';
import { createComplianceReport } from '../../repositories/compliance-report';
import { createForecast } from '../../repositories/forecast';
import { createOutcomeReport } from '../../repositories/outcome-report';

/** Reports for leaders, answered from the PostgreSQL read model; "today" is the calendar date in Oslo. */
export function createReports(pool: Pool, now: () => number = Date.now) {
  const today = () => osloDate(now());
  return {
    compliance: createComplianceReport(pool, today),
    outcomes: createOutcomeReport(pool),
    forecast: createForecast(pool, today),
  };
}

export type Reports = ReturnType<typeof createReports>;

declare module 'fastify' {
  interface FastifyInstance {
    reports: Reports;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('reports', createReports(opts.pool));
  },
  { name: 'reports' },
);
