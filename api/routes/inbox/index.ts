import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../../problem';
import { InboxItem as Item, InboxPage, InboxQuery } from '../../../schemas/inbox';

const Params = z.object({ id: z.uuid({ error: 'an inbox item id is a UUID' }) });
const NOT_YOURS = 'No inbox item with this id is addressed to your organisation.';
/**
 * An administrator sees every organisation's alarms but follows none up: acknowledging or taking one would tell the
 * institution or bydel that someone there has it in hand (the web app offers neither to an administrator).
 */
const notForAdministrators = (role: string, what: string) => {
  if (role === 'admin')
    throw forbidden(
      `An administrator cannot ${what} an alarm: that is for the staff at the institution or bydel it is addressed to.`,
    );
};

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
    {
      schema: {
        summary: 'Acknowledge an inbox item',
        description: 'For the staff of the organisation it is addressed to (an administrator: 403).',
        tags: ['inbox'],
        params: Params,
        response: { 200: Item },
      },
    },
    async (req) => {
      notForAdministrators(req.user.role, 'acknowledge');
      return (await app.inbox.acknowledge(req.user, req.params.id)) ?? Promise.reject(notFound(NOT_YOURS));
    },
  );

  app.post(
    '/:id/assign',
    {
      schema: {
        summary: 'Assign an inbox item to yourself',
        description: 'For the staff of the organisation it is addressed to (an administrator: 403).',
        tags: ['inbox'],
        params: Params,
        response: { 200: Item },
      },
    },
    async (req) => {
      notForAdministrators(req.user.role, 'take');
      return (await app.inbox.assignToSelf(req.user, req.params.id)) ?? Promise.reject(notFound(NOT_YOURS));
    },
  );
};

export default inboxRoutes;
