import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Caller } from '../../plugins/app/auth';
import { forbidden, HttpProblem, notFound } from '../../problem';
import {
  CreateOrganisationBody,
  Organisation,
  OrganisationHistory,
  OrganisationId,
  OrganisationList,
  OrganisationListQuery,
  UpdateOrganisationBody,
} from './schemas';

const Params = z.object({
  orgId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'an organisation id is 1–100 letters, digits, ".", "_" or "-"'),
});

const Recipient = z.object({
  email: z.email({ error: 'an e-mail address' }).max(254),
  role: z.enum(['coordinator', 'leader']),
  delivery: z
    .enum(['immediate', 'digest'])
    .default('immediate')
    .meta({ description: 'immediate e-mail, or one daily digest' }),
  digestTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (Oslo time)')
    .default('07:00')
    .meta({ description: 'Oslo time of the daily digest (HH:MM)' }),
});

const SettingsBody = z.object({
  recipients: z.array(Recipient).max(200),
  webhook: z
    .object({
      // whether it is a URL the engine may call is decided when it is saved (422, config/webhook-target.ts)
      url: z
        .string()
        .max(2000)
        .regex(/^https?:\/\//, 'an http(s) URL'),
      secret: z.string().min(16, 'the signing secret must be at least 16 characters').max(200),
    })
    .nullable()
    .default(null),
});

const Settings = z.object({
  orgId: z.string(),
  recipients: z.array(
    z.object({
      email: z.string(),
      role: z.enum(['coordinator', 'leader']),
      delivery: z.enum(['immediate', 'digest']),
      digestTime: z.string(),
    }),
  ),
  webhook: z.object({ url: z.string(), hasSecret: z.literal(true) }).nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

const RegisterParams = z.object({ orgId: OrganisationId });

/** 409 with the field that collides, so that a form can say it next to the field. */
const conflict = (field: 'id' | 'name', detail: string, existing: unknown) =>
  new HttpProblem(409, 'Conflict', detail, {
    code: field === 'id' ? 'organisation-id-taken' : 'organisation-name-taken',
    errors: [
      {
        path: `body.${field}`,
        message: field === 'id' ? 'this id is already registered' : 'this name is already registered for this kind',
      },
    ],
    ...(existing ? { existing } : {}),
  });

function requireAdmin(caller: Caller, what: string) {
  if (caller.role !== 'admin') throw forbidden(`Only an administrator can ${what}.`);
}

/**
 * The organisation register (institutions and bydeler) and each organisation's notification settings: who is told (coordinators, leaders), by immediate e-mail or a daily
 * digest, and an optional signed webhook. Administrators manage them; the organisation's own users may read them.
 */
const organisationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '',
    {
      schema: {
        summary: 'The organisation register: institutions and bydeler',
        description:
          'Any signed-in user (names are not personal data). Filters: kind (institution | bydel), active (true | false). A stay can only be registered for, or moved to, an active bydel.',
        tags: ['organisations'],
        querystring: OrganisationListQuery,
        response: { 200: OrganisationList },
      },
    },
    async (req) => ({ items: await app.organisations.list(req.query) }),
  );

  app.post(
    '',
    {
      schema: {
        summary: 'Add an organisation to the register (admin)',
        description:
          'The id is what stays and tokens use and cannot be changed later. 409 when the id, or the name within the kind, is taken.',
        tags: ['organisations'],
        body: CreateOrganisationBody,
        response: { 201: Organisation },
      },
    },
    async (req, reply) => {
      requireAdmin(req.user, 'add organisations');
      const result = await app.organisations.create(req.body, { sub: req.user.sub, role: req.user.role });
      if ('conflict' in result) {
        throw result.conflict === 'id'
          ? conflict(
              'id',
              `An organisation with the id ${req.body.id} is already registered; rename it with PATCH /api/organisations/${req.body.id}, or choose another id.`,
              result.existing,
            )
          : conflict(
              'name',
              `A ${req.body.kind} named "${req.body.name}" is already registered (${result.existing?.id ?? 'another id'}); choose another name.`,
              result.existing,
            );
      }
      req.log.info({ orgId: result.created.id, kind: result.created.kind }, 'organisation added');
      return reply.code(201).header('location', `/api/organisations/${result.created.id}`).send(result.created);
    },
  );

  app.patch(
    '/:orgId',
    {
      schema: {
        summary: 'Rename, deactivate or reactivate an organisation (admin)',
        description:
          "A deactivated bydel keeps its stays and its name, but no new stay can be registered for it or moved to it. Each change is written to the register's audit trail.",
        tags: ['organisations'],
        params: RegisterParams,
        body: UpdateOrganisationBody,
        response: { 200: Organisation },
      },
    },
    async (req) => {
      requireAdmin(req.user, 'change organisations');
      const result = await app.organisations.update(req.params.orgId, req.body, {
        sub: req.user.sub,
        role: req.user.role,
      });
      if (!result) throw notFound(`No organisation ${req.params.orgId} is registered; see GET /api/organisations.`);
      if ('conflict' in result)
        throw conflict(
          'name',
          `Another organisation of this kind is already named "${req.body.name}" (${result.existing?.id ?? 'another id'}); choose another name.`,
          result.existing,
        );
      req.log.info({ orgId: req.params.orgId, active: result.updated.active }, 'organisation changed');
      return result.updated;
    },
  );

  app.get(
    '/:orgId/history',
    {
      schema: {
        summary: "The register's audit trail for one organisation (admin)",
        description: 'Who added, renamed, deactivated or reactivated it, and when; oldest first.',
        tags: ['organisations'],
        params: RegisterParams,
        response: { 200: OrganisationHistory },
      },
    },
    async (req) => {
      requireAdmin(req.user, "read the register's audit trail");
      if (!(await app.organisations.get(req.params.orgId)))
        throw notFound(`No organisation ${req.params.orgId} is registered; see GET /api/organisations.`);
      return { orgId: req.params.orgId, items: await app.organisations.history(req.params.orgId) };
    },
  );

  app.get(
    '/:orgId/notification-settings',
    {
      schema: {
        summary: "An organisation's notification recipients and webhook",
        description:
          'Admins: any organisation; institution and bydel users: their own. The webhook secret is never returned.',
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
          "Recipients: coordinators get the organisation's reminders and escalations, leaders also the second level. Each chooses immediate e-mail or a daily digest at an Oslo time (default 07:00). Applies to notifications raised from now on.",
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
