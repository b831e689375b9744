import type { FastifyPluginAsync } from 'fastify';
import { describeFailedChecks } from '../plugins/app/dependency-checks';
import { sendProblem } from '../plugins/app/problem-details';

/** The contract's health check: 200 only when the API, a worker, Temporal and PostgreSQL are all usable. */
const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    {
      logLevel: 'warn',
      schema: { summary: 'Ready when the API, the worker, Temporal and PostgreSQL are usable', tags: ['health'] },
    },
    async (request, reply) => {
      const { healthy, checks } = await app.dependencyChecks();
      if (healthy) return reply.send({ status: 'ok', checks });
      return sendProblem(reply, request, {
        status: 503,
        title: 'Service Unavailable',
        detail: `Not ready: ${describeFailedChecks(checks)}.`,
        extra: { checks },
      });
    },
  );
};

export default healthRoutes;
