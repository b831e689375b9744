import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isStayEventType, STAY_EVENT_TYPES, type StayEventType } from '../../../rules/types';
import type { StayEvent } from '../../../workflows/stay/types';
import { actorOf, type Caller } from '../../plugins/app/auth';
import { forbidden, invalidBody, notFound } from '../../problem';
import { stayAccess } from './access';
import {
  CorrectionBody,
  DeviationBody,
  EVENT_BODIES,
  EventBodyDoc,
  EventParams,
  ExitPlanBody,
  ExtraStatusReportBody,
  IdempotencyHeaders,
  StayParams,
  StayView,
} from '../../../schemas/stays';

/** Who may record which event: the institution discharges (§3); a bydel hands a stay over to another bydel. */
const EVENT_ROLES: Record<StayEventType, Caller['role'][]> = {
  'housing-offered': ['institution', 'bydel', 'admin'],
  discharged: ['institution', 'admin'],
  'moved-in': ['institution', 'bydel', 'admin'],
  'ended-early': ['institution', 'bydel', 'admin'],
  'bydel-changed': ['bydel', 'admin'],
};

/** §3 events, agreed deviations (§1), the exit plan (§3.2) and corrections: the life of a stay after admission. */
const lifecycleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { requireResponsible, readBack, command, requireActiveBydel } = stayAccess(app);

  app.post(
    '/:id/events/:type',
    {
      schema: {
        summary: 'Record an event of the stay',
        description: `Types: ${STAY_EVENT_TYPES.join(', ')}. \`housing-offered\` moves convening to the bydel (§2) and opens the §3 milestones; \`discharged\` starts the institution's 4-week availability and the final report; \`moved-in\` opens the follow-up meeting; \`ended-early\` (reason left | discharged-without-housing | moved-institution | died | other) closes open milestones as not applicable, the final report stays due; \`bydel-changed\` moves responsibility to another bydel.`,
        tags: ['events'],
        params: EventParams,
        headers: IdempotencyHeaders,
        body: EventBodyDoc,
        response: { 200: StayView },
      },
    },
    async (req) => {
      const caller = req.user;
      const { id, type } = req.params;
      await requireResponsible(id, caller);
      if (!isStayEventType(type))
        throw notFound(`There is no event "${type}". Events: ${STAY_EVENT_TYPES.join(', ')}.`);
      if (!EVENT_ROLES[type].includes(caller.role))
        throw forbidden(
          `"${type}" is recorded by ${EVENT_ROLES[type].filter((r) => r !== 'admin').join(' or ')} users.`,
        );
      const parsed = EVENT_BODIES[type].safeParse(req.body);
      if (!parsed.success) {
        throw invalidBody(`The "${type}" event`, parsed.error.issues);
      }
      const event = { type, ...parsed.data } as StayEvent;
      if (event.type === 'bydel-changed') await requireActiveBydel(event.bydelId, 'bydelId');
      if (event.type === 'housing-offered' && event.receivingBydelId)
        await requireActiveBydel(event.receivingBydelId, 'receivingBydelId');
      await app.stayCommands.recordEvent(id, { event, actor: actorOf(caller) }, req.headers['idempotency-key']);
      if (event.type === 'bydel-changed' && caller.role === 'bydel') {
        // the bydel that handed the stay over no longer sees it afterwards; this answer is the hand-over itself
        return (await app.stayReadModel.getStay(id, {}))!;
      }
      return readBack(id, caller);
    },
  );

  app.post(
    '/:id/deviations',
    {
      schema: {
        summary: 'Agree another time frame for a milestone (§1)',
        description:
          "The workflow's timer moves to the agreed date; the stay shows `dueDate` = agreed date and `originalDueDate`. An escalation already raised for the old date stays in the history.",
        tags: ['milestones'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: DeviationBody,
        response: { 200: StayView },
      },
    },
    async (req) =>
      command(req.params.id, req.user, () =>
        app.stayCommands.agreeDeviation(
          req.params.id,
          { ...req.body, actor: actorOf(req.user) },
          req.headers['idempotency-key'],
        ),
      ),
  );

  app.post(
    '/:id/extra-status-reports',
    {
      schema: {
        summary: 'Agree an extra status report for this stay (§2.2)',
        description:
          'Opens (or extends) the milestone `extra-status-report`: each agreed report is due on its own date; complete it with POST /milestones/extra-status-report.',
        tags: ['milestones'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: ExtraStatusReportBody,
        response: { 200: StayView },
      },
    },
    async (req) =>
      command(req.params.id, req.user, () =>
        app.stayCommands.agreeExtraStatusReport(
          req.params.id,
          { dueDate: req.body.dueDate, actor: actorOf(req.user) },
          req.headers['idempotency-key'],
        ),
      ),
  );

  app.put(
    '/:id/exit-plan',
    {
      schema: {
        summary: 'Record or edit the exit plan (§3.2, vedlegg 1)',
        description:
          "Eight parts with responsible party and status, the contingency plan, any agreement to keep the institution place or a day place, and an agreed end of the institution's participation.",
        tags: ['events'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: ExitPlanBody,
        response: { 200: StayView },
      },
    },
    async (req) =>
      command(req.params.id, req.user, () =>
        app.stayCommands.updateExitPlan(
          req.params.id,
          { plan: req.body, actor: actorOf(req.user) },
          req.headers['idempotency-key'],
        ),
      ),
  );

  app.post(
    '/:id/corrections',
    {
      schema: {
        summary: 'Withdraw or re-date an earlier completion or event',
        description:
          'Allowed for the organisation that recorded it, or an administrator, with a reason. The stay is recomputed from the corrected record (e.g. withdrawing housing-offered gives convening back to the institution); refused when what follows would break a rule.',
        tags: ['milestones'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: CorrectionBody,
        response: { 200: StayView },
      },
    },
    async (req) =>
      command(req.params.id, req.user, () =>
        app.stayCommands.correct(
          req.params.id,
          { ...req.body, actor: actorOf(req.user) },
          req.headers['idempotency-key'],
        ),
      ),
  );
};

export default lifecycleRoutes;
