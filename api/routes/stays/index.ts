import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { forbidden } from '../../problem';
import { readScopeOf, stayAccess } from './access';
import {
  AuditList,
  HistoryQuery,
  CreateStayBody,
  IdempotencyHeaders,
  StayList,
  StayListQuery,
  StayParams,
  StayView,
} from '../../../schemas/stays';

const stayRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  const { requireVisible, readBack, answer, requireActiveBydel } = stayAccess(app);

  app.post(
    '',
    {
      schema: {
        summary: 'Register a stay (also for residents admitted before go-live)',
        description:
          'bydelId must be a registered, active bydel (GET /api/organisations?kind=bydel&active=true); otherwise 422 and no stay is created.',
        tags: ['stays'],
        headers: IdempotencyHeaders,
        body: CreateStayBody,
        response: { 201: StayView },
      },
    },
    async (req, reply) => {
      const caller = req.user;
      const body = req.body;
      if (caller.role === 'institution' && body.institutionId !== caller.org) {
        throw forbidden(`You can register stays at your own institution (${caller.org}) only.`);
      }
      if (caller.role === 'bydel' && body.bydelId !== caller.org) {
        throw forbidden(`You can register stays for your own bydel (${caller.org}) only.`);
      }
      if (body.previousStayId) await requireVisible(body.previousStayId, caller);
      await requireActiveBydel(body.bydelId, 'bydelId');
      const stayId = await app.stayCommands.register(body, caller, req.headers['idempotency-key']);
      return reply
        .code(201)
        .header('location', `/api/stays/${stayId}`)
        .send(await answer(stayId, caller, req.id));
    },
  );

  app.get(
    '',
    {
      schema: {
        summary: 'List the stays in your scope',
        description:
          'Filters: institutionId, bydelId, status, overdue (a binding deadline has passed), movingTo, mine (stays where you are a contact), search (part of the resident reference). Ordered by `sort` (latest admission first by default) and paged with limit/offset; `total` and `counts` cover every stay the filters match.',
        tags: ['stays'],
        querystring: StayListQuery,
        response: { 200: StayList },
      },
    },
    async (req) =>
      app.stayReadModel.listStays(readScopeOf(req.user), {
        ...req.query,
        ...(req.query.mine ? { contactUserId: req.user.sub } : {}),
      }),
  );

  app.get(
    '/:id',
    {
      schema: {
        summary: 'A stay with its milestones',
        tags: ['stays'],
        params: StayParams,
        response: { 200: StayView },
      },
    },
    async (req) => {
      const view = await readBack(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'stay', req.id);
      return view;
    },
  );

  app.get(
    '/:id/history',
    {
      schema: {
        summary: "The stay's audit trail, oldest first",
        description:
          'Every command, event and escalation: who (user, role, organisation), when (UTC and Oslo time), what changed, and the Fellesskriv § behind it. Filter by `action` (or a prefix such as `escalation`) and by time.',
        tags: ['stays'],
        params: StayParams,
        querystring: HistoryQuery,
        response: { 200: AuditList },
      },
    },
    async (req) => {
      await requireVisible(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'history', req.id);
      return { items: await app.stayReadModel.history(req.params.id, req.query) };
    },
  );
};

export default stayRoutes;
