import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EscalationPage, EscalationQuery } from '../../../schemas/escalations';
import { scopeOf } from '../../plugins/app/auth';

const escalationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.get(
    '',
    {
      schema: {
        summary: 'Escalations in your scope, newest first',
        description: 'A missed deadline gives exactly one `overdue` escalation per milestone and due date.',
        tags: ['escalations'],
        querystring: EscalationQuery,
        response: { 200: EscalationPage },
      },
    },
    async (req) => app.stayReadModel.listEscalations(scopeOf(req.user), req.query),
  );
};

export default escalationRoutes;
