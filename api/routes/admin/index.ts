import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Caller } from '../../plugins/app/auth';
import { forbidden, notFound } from '../../problem';

const StayParams = z.object({ id: z.uuid({ error: 'a stay id is a UUID' }) });
const Paging = { limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) };

const AccessEntry = z.object({
  at: z.string(),
  actor: z.object({ sub: z.string(), role: z.string(), org: z.string().nullable() }),
  stayId: z.string().nullable(),
  view: z.string(),
  requestId: z.string().nullable(),
});

const requireAdmin = (caller: Caller) => {
  if (caller.role !== 'admin') throw forbidden('Administrators only.');
};

/** What administrators inspect: the decoded Temporal history of a stay, and who read what (access log). */
const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/stays/:id/workflow-history',
    {
      schema: {
        summary: "The stay's Temporal event history, decoded and summarised (admin only)",
        description: 'Payloads are decoded server-side. `tasks=true` includes workflow-task bookkeeping events. Each read is recorded in the access log.',
        tags: ['admin'],
        params: StayParams,
        querystring: z.object({ tasks: z.enum(['true', 'false']).default('false') }),
        response: {
          200: z.object({
            workflowId: z.string(),
            items: z.array(z.object({ id: z.number(), time: z.string().nullable(), type: z.string(), summary: z.string(), data: z.unknown(), raw: z.unknown() })),
          }),
        },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      if (!(await app.stayReadModel.isVisible(req.params.id, {}))) throw notFound('No such stay.');
      await app.accessLog.record(req.user, req.params.id, 'workflow-history', req.id);
      return { workflowId: `stay:${req.params.id}`, items: await app.workflowHistory.decoded(req.params.id, req.query.tasks === 'true') };
    },
  );

  app.get(
    '/stays/:id/access-log',
    {
      schema: {
        summary: 'Every read of the stay: who, when, which view (admin only; this read is logged too)',
        tags: ['admin'],
        params: StayParams,
        querystring: z.object(Paging),
        response: { 200: z.object({ items: z.array(AccessEntry) }) },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      if (!(await app.stayReadModel.isVisible(req.params.id, {}))) throw notFound('No such stay.');
      await app.accessLog.record(req.user, req.params.id, 'access-log', req.id);
      return { items: await app.accessLog.forStay(req.params.id, req.query.limit, req.query.offset) };
    },
  );

  app.get(
    '/access-log',
    {
      schema: {
        summary: "One user's reads of stays (admin only; this read is logged too)",
        tags: ['admin'],
        querystring: z.object({ userId: z.string().min(1).max(128), ...Paging }),
        response: { 200: z.object({ items: z.array(AccessEntry) }) },
      },
    },
    async (req) => {
      requireAdmin(req.user);
      await app.accessLog.record(req.user, null, 'user-access-log', req.id);
      return { items: await app.accessLog.forUser(req.query.userId, req.query.limit, req.query.offset) };
    },
  );
};

export default adminRoutes;
