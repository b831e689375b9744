import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConsentReminder, ConsentReminderList, ConsentReminderQuery } from '../../../schemas/participation';
import { notFound } from '../../problem';

const Params = z.object({ id: z.uuid({ error: 'a reminder id is a UUID' }) });
const NOT_YOURS = 'No consent reminder with this id is addressed to your organisation.';

/** "The resident's consent runs out": reminders to the institution, raised by the worker's daily sweep. */
const consentReminderRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '',
    {
      schema: {
        summary: 'Consents that run out soon, at stays of your institution (soonest first)',
        description:
          'One reminder per consent and end date, 30 days before it (or at once for one recorded later). Resolved on its own when the consent is renewed, withdrawn or the stay is over. Addressed to the institution; a bydel gets an empty list.',
        tags: ['participation'],
        querystring: ConsentReminderQuery,
        response: { 200: ConsentReminderList },
      },
    },
    async (req) => app.participation.reminders(req.user, { ...req.query, states: req.query.state }),
  );

  app.post(
    '/:id/acknowledge',
    {
      schema: {
        summary: 'Acknowledge a consent reminder',
        tags: ['participation'],
        params: Params,
        response: { 200: ConsentReminder },
      },
    },
    async (req) =>
      (await app.participation.acknowledgeReminder(req.user, req.params.id)) ?? Promise.reject(notFound(NOT_YOURS)),
  );
};

export default consentReminderRoutes;
