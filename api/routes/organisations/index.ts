import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../../problem';

const Params = z.object({ orgId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'an organisation id is 1–100 letters, digits, ".", "_" or "-"') });

const Recipient = z.object({
  email: z.email({ error: 'an e-mail address' }).max(254),
  role: z.enum(['coordinator', 'leader']),
  delivery: z.enum(['immediate', 'digest']).default('immediate').meta({ description: 'immediate e-mail, or one daily digest' }),
  digestTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (Oslo time)')
    .default('07:00')
    .meta({ description: 'Oslo time of the daily digest (HH:MM)' }),
});

const SettingsBody = z
  .object({
    recipients: z.array(Recipient).max(200),
    webhook: z
      .object({
        url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
        secret: z.string().min(16, 'the signing secret must be at least 16 characters').max(200),
      })
      .nullable()
      .default(null),
  })
  .refine((b) => new Set(b.recipients.map((r) => r.email.toLowerCase())).size === b.recipients.length, {
    message: 'each e-mail address once',
    path: ['recipients'],
  });

const Settings = z.object({
  orgId: z.string(),
  recipients: z.array(z.object({ email: z.string(), role: z.enum(['coordinator', 'leader']), delivery: z.enum(['immediate', 'digest']), digestTime: z.string() })),
  webhook: z.object({ url: z.string(), hasSecret: z.literal(true) }).nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

/**
 * An organisation's notification settings: who is told (coordinators, leaders), by immediate e-mail or a daily
 * digest, and an optional signed webhook. Administrators manage them; the organisation's own users may read them.
 */
const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/:orgId/notification-settings',
    {
      schema: {
        summary: "An organisation's notification recipients and webhook",
        description: 'Admins: any organisation; institution and bydel users: their own. The webhook secret is never returned.',
        tags: ['notifications'],
        params: Params,
        response: { 200: Settings },
      },
    },
    async (req) => {
      if (req.user.role !== 'admin' && req.user.org !== req.params.orgId) {
        throw notFound('You can read the notification settings of your own organisation only.');
      }
      return app.notificationSettings.get(req.params.orgId);
    },
  );

  app.put(
    '/:orgId/notification-settings',
    {
      schema: {
        summary: "Replace an organisation's notification recipients and webhook (admin)",
        description:
          'Recipients: coordinators get the organisation\'s reminders and escalations, leaders also the second level. Each chooses immediate e-mail or a daily digest at an Oslo time (default 07:00). Applies to notifications raised from now on.',
        tags: ['notifications'],
        params: Params,
        body: SettingsBody,
        response: { 200: Settings },
      },
    },
    async (req) => {
      if (req.user.role !== 'admin') throw forbidden('Only an administrator can change notification settings.');
      return app.notificationSettings.put(req.params.orgId, req.body, req.user.sub);
    },
  );
};

export default organisationRoutes;
