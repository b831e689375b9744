import type { FastifyPluginAsync } from 'fastify';
import { answerWithChecks } from '../plugins/app/dependency-checks';

/** The contract's health check: 200 only when the API, a worker, Temporal and PostgreSQL are all usable. */
const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    {
      logLevel: 'warn',
      schema: { summary: 'Ready when the API, the worker, Temporal and PostgreSQL are usable', tags: ['health'] },
    },
    async (request, reply) => {
      return answerWithChecks(app, request, reply);
    },
  );
};

export default healthRoutes;
