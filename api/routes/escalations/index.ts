import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scopeOf } from '../../plugins/app/auth';

const EscalationQuery = z.object({
  stayId: z.uuid().optional(),
  kind: z.enum(['reminder', 'overdue', 'second-level']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const Escalation = z.object({
  id: z.string(),
  stayId: z.string(),
  milestone: z.string(),
  kind: z.enum(['reminder', 'overdue', 'second-level']),
  dueDate: z.string(),
  recipient: z.enum(['institution', 'bydel', 'both']),
  institutionId: z.string(),
  bydelId: z.string(),
  createdAt: z.string(),
});

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
        response: {
          200: z.object({ items: z.array(Escalation), total: z.number(), limit: z.number(), offset: z.number() }),
        },
      },
    },
    async (req) => app.stayReadModel.listEscalations(scopeOf(req.user), req.query),
  );
};

export default escalationRoutes;
