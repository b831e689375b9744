import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { completionBodySchema } from '../../../rules/milestone-details';
import { osloDate } from '../../../rules/oslo-calendar';
import { REFUSAL_STATUS } from '../../../rules/refusals';
import { isMilestoneKey, MILESTONE_KEYS } from '../../../rules/types';
import { StayState } from '../../../workflows/stay/stay-state';
import type { RegisterStayInput } from '../../../workflows/stay/types';
import { actorOf, type Caller } from '../../plugins/app/auth';
import { forbidden, invalidBody, HttpProblem, notFound, STATUS_TITLES } from '../../problem';
import { readScopeOf, stayAccess } from './access';
import {
  AuditList,
  HistoryQuery,
  CompleteBodyDoc,
  CreateStayBody,
  IdempotencyHeaders,
  InsufficientBody,
  MilestoneParams,
  StayList,
  StayListQuery,
  StayParams,
  StayView,
} from './schemas';

/** A retried registration with the same Idempotency-Key from the same user names the same stay. */
function stayIdFor(caller: Caller, idempotencyKey: string): string {
  const h = createHash('sha256').update(`${caller.sub}\0${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const stayRoutes: FastifyPluginAsyncZod<{
  interpretations: RegisterStayInput['interpretations'];
  retentionDays?: number;
}> = async (app, opts) => {
  app.addHook('onRequest', app.authenticate);

  const { requireVisible, requireResponsible, readBack, requireActiveBydel } = stayAccess(app);

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
      const idempotencyKey = req.headers['idempotency-key'];
      const input: RegisterStayInput = {
        stayId: idempotencyKey ? stayIdFor(caller, idempotencyKey) : app.stayCommands.newStayId(),
        residentRef: body.residentRef,
        institutionId: body.institutionId,
        bydelId: body.bydelId,
        admittedAt: body.admittedAt,
        completed: body.completed,
        previousStayId: body.previousStayId ?? null,
        interpretations: opts.interpretations,
        ...(opts.retentionDays ? { retentionDays: opts.retentionDays } : {}),
        actor: actorOf(caller),
      };
      const refused = StayState.validateRegistration(input, Date.now());
      if (refused) {
        const status = REFUSAL_STATUS[refused.code];
        throw new HttpProblem(status, STATUS_TITLES[status]!, refused.message, { code: refused.code });
      }
      try {
        await app.stayCommands.register(input);
      } catch (err) {
        if (!(idempotencyKey && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        await app.stayCommands.awaitReadModel(input.stayId);
      }
      return reply
        .code(201)
        .header('location', `/api/stays/${input.stayId}`)
        .send(await readBack(input.stayId, caller));
    },
  );

  app.get(
    '',
    {
      schema: {
        summary: 'List the stays in your scope',
        description:
          'Filters: institutionId, bydelId, status, overdue (a binding deadline has passed), movingTo, mine (stays where you are a contact). Paged with limit/offset.',
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

  app.post(
    '/:id/milestones/status-report/insufficient',
    {
      schema: {
        summary: 'The bydel marks the status report insufficient (§2.2)',
        description: 'Opens the task `status-report-causes`: institution and bydel map the causes as soon as possible.',
        tags: ['milestones'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: InsufficientBody.optional(),
        response: { 200: StayView },
      },
    },
    async (req) => {
      const caller = req.user;
      await requireResponsible(req.params.id, caller);
      if (caller.role === 'institution')
        throw forbidden('Only the bydel can mark the status report insufficient (§2.2).');
      await app.stayCommands.markStatusReportInsufficient(
        req.params.id,
        { date: req.body?.date ?? osloDate(Date.now()), actor: actorOf(caller) },
        req.headers['idempotency-key'],
      );
      return readBack(req.params.id, caller);
    },
  );

  app.post(
    '/:id/milestones/:key',
    {
      schema: {
        summary: 'Mark a milestone done',
        description: `Answers after the stay's workflow accepted it. Keys: ${MILESTONE_KEYS.join(', ')}. Refusals: 404 unknown stay or key, 400 malformed body, 409 already done, 422 a rule says no.`,
        tags: ['milestones'],
        params: MilestoneParams,
        headers: IdempotencyHeaders,
        body: CompleteBodyDoc,
        response: { 200: StayView },
      },
    },
    async (req) => {
      const caller = req.user;
      const { id, key } = req.params;
      await requireResponsible(id, caller);
      if (!isMilestoneKey(key))
        throw notFound(`There is no milestone "${key}". Known milestones: ${MILESTONE_KEYS.join(', ')}.`);
      const parsed = completionBodySchema(key).safeParse(req.body);
      if (!parsed.success) {
        throw invalidBody(`The record for "${key}"`, parsed.error.issues);
      }
      const { doneAt, ...details } = parsed.data as { doneAt: string } & Record<string, unknown>;
      await app.stayCommands.completeMilestone(
        id,
        { key, doneAt, details, actor: actorOf(caller) },
        req.headers['idempotency-key'],
      );
      return readBack(id, caller);
    },
  );
};

export default stayRoutes;
