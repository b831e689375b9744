import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../problem';
import { InboxItem as Item, InboxPage, InboxQuery } from '../../../schemas/inbox';

const Params = z.object({ id: z.uuid({ error: 'an inbox item id is a UUID' }) });
const NOT_YOURS = 'No inbox item with this id is addressed to your organisation.';

/** The coordinators' inbox: reminders and escalations addressed to the caller's organisation. */
const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '',
    {
      schema: {
        summary: 'Reminders and escalations addressed to your organisation, newest first',
        description:
          'Resolved automatically when the milestone is done, no longer applies or its due date moves. `counts` gives open / acknowledged / resolved.',
        tags: ['inbox'],
        querystring: InboxQuery,
        response: { 200: InboxPage },
      },
    },
    async (req) => app.inbox.list(req.user, req.query),
  );

  app.post(
    '/:id/acknowledge',
    { schema: { summary: 'Acknowledge an inbox item', tags: ['inbox'], params: Params, response: { 200: Item } } },
    async (req) => (await app.inbox.acknowledge(req.user, req.params.id)) ?? Promise.reject(notFound(NOT_YOURS)),
  );

  app.post(
    '/:id/assign',
    {
      schema: { summary: 'Assign an inbox item to yourself', tags: ['inbox'], params: Params, response: { 200: Item } },
    },
    async (req) => (await app.inbox.assignToSelf(req.user, req.params.id)) ?? Promise.reject(notFound(NOT_YOURS)),
  );
};

export default inboxRoutes;
