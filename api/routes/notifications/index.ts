import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, HttpProblem, notFound } from '../../problem';
import { Delivery, DeliveryPage, DeliveryQuery, UnreachedList } from '../../../schemas/notifications';

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
        querystring: DeliveryQuery,
        response: { 200: DeliveryPage },
      },
    },
    async (req) => app.notificationSettings.listOutbox(req.query),
  );

  app.get(
    '/unreached',
    {
      schema: {
        summary: 'Organisations whose open alarms reached nobody by e-mail (admin)',
        description:
          'Open alarms (neither acknowledged nor resolved) for which no e-mail was queued: the organisation has no coordinators (or leaders, at the second level) in its notification settings, nobody took the deadline, and no contact of the stay has an address. Fix it in PUT /api/organisations/:orgId/notification-settings; alarms raised after that reach the new recipients.',
        tags: ['notifications'],
        response: { 200: UnreachedList },
      },
    },
    async () => ({ items: await app.notificationSettings.unreached() }),
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
        response: { 200: Delivery },
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
