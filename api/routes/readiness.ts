import type { FastifyPluginAsync } from 'fastify';
import { answerWithChecks } from '../plugins/app/dependency-checks';
import { sendProblem } from '../plugins/app/problem-details';

declare module 'fastify' {
  interface FastifyInstance {
    /** Shutdown has begun: /ready answers 503 so that a load balancer stops sending new requests here. */
    readonly draining: boolean;
    startDraining(): void;
  }
}

/**
 * Probes for an orchestrator, next to the contract's /health (200 only when API, worker, Temporal and
 * PostgreSQL are usable):
 * - GET /live — liveness: the process serves HTTP. It checks no dependency on purpose: restarting API instances
 *   cannot fix a Temporal or PostgreSQL outage, it would only add a restart storm to it.
 * - GET /ready — readiness: send this instance traffic. The /health checks, and not draining.
 */
const readinessRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/live',
    { logLevel: 'warn', schema: { summary: 'Liveness: the API process answers', tags: ['health'] } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    { logLevel: 'warn', schema: { summary: 'Readiness: dependencies usable and not shutting down', tags: ['health'] } },
    async (request, reply) => {
      if (app.draining) {
        return sendProblem(reply, request, {
          status: 503,
          title: 'Service Unavailable',
          detail: 'This API instance is shutting down.',
          extra: { draining: true },
        });
      }
      return answerWithChecks(app, request, reply);
    },
  );
};

export default readinessRoutes;
