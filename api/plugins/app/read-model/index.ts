import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { createAuditRepository } from './audit-repository';
import { createEscalationsRepository } from './escalations-repository';
import { createStaysRepository } from './stays-repository';

/**
 * What the API reads from PostgreSQL (the read model the workflows write), one repository per table:
 * stays with their milestones, escalations, the audit trail. Routes use them together as `app.stayReadModel`.
 */
export function createStayReadModel(pool: Pool, now: () => number = Date.now) {
  return {
    ...createStaysRepository(pool, now),
    ...createEscalationsRepository(pool),
    ...createAuditRepository(pool),
    async ping(): Promise<void> {
      await pool.query('SELECT 1');
    },
  };
}

export type StayReadModel = ReturnType<typeof createStayReadModel>;

declare module 'fastify' {
  interface FastifyInstance {
    stayReadModel: StayReadModel;
  }
}

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.decorate('stayReadModel', createStayReadModel(opts.pool));
  },
  { name: 'stay-read-model' },
);
