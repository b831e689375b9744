import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, HttpProblem, notFound } from '../../problem';

// cancelled: queued for a bydel that the stay was handed over from before it went out
const Status = z.enum(['pending', 'sent', 'failed', 'cancelled']);

const Entry = z.object({
  id: z.string().meta({ description: 'the delivery id (Message-ID <id@stay-transition>, X-Delivery-Id)' }),
  escalationId: z.string(),
  stayId: z.string(),
  milestone: z.string(),
  kind: z.enum(['reminder', 'overdue', 'second-level']),
  dueDate: z.string(),
  channel: z.enum(['email', 'webhook']),
  recipient: z.string(),
  orgId: z.string(),
  mode: z.enum(['immediate', 'digest']),
  status: Status,
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const Query = z.object({
  status: Status.optional(),
  escalationId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const Params = z.object({ id: z.uuid({ error: 'a delivery id is a UUID' }) });

/** The notification outbox for administrators: what was sent, what is pending, what failed after its last retry. */
const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preHandler', async (req) => {
    if (req.user.role !== 'admin') throw forbidden('Only an administrator can see notification deliveries.');
  });

  app.get(
    '',
    {
      schema: {
        summary: 'Notification deliveries, newest first (admin)',
        description:
          '`?status=failed`: deliveries that failed after their last retry; redeliver them with POST /api/notifications/:id/redeliver.',
        tags: ['notifications'],
        querystring: Query,
        response: {
          200: z.object({ items: z.array(Entry), total: z.number(), limit: z.number(), offset: z.number() }),
        },
      },
    },
    async (req) => app.notificationSettings.listOutbox(req.query),
  );

  app.post(
    '/:id/redeliver',
    {
      schema: {
        summary: 'Deliver a failed notification again (admin)',
        description:
          'Same delivery id, so a receiver that got it after all can tell. 409 unless the delivery has failed.',
        tags: ['notifications'],
        params: Params,
        response: { 200: Entry },
      },
    },
    async (req) => {
      const { entry, requeued } = await app.notificationSettings.redeliver(req.params.id);
      if (!entry) throw notFound('No notification delivery has this id.');
      if (!requeued)
        throw new HttpProblem(
          409,
          'Conflict',
          `Only a failed delivery can be redelivered; this one is ${entry.status}.`,
        );
      return entry;
    },
  );
};

export default notificationRoutes;
