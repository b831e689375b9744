import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The draining flag that server.ts sets on SIGTERM and /ready reports (see routes/readiness.ts). */
export default fp(
  async (app: FastifyInstance) => {
    let draining = false;
    app.decorate('draining', { getter: () => draining });
    app.decorate('startDraining', () => {
      draining = true;
    });
  },
  { name: 'draining' },
);
