import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { applicationDateRefusals } from '../../../rules/applications';
import { osloDate } from '../../../rules/oslo-calendar';
import {
  AddApplicationBody,
  Application,
  ApplicationList,
  ApplicationParams,
  UpdateApplicationBody,
} from '../../../schemas/applications';
import { IdempotencyHeaders, StayParams } from '../../../schemas/stays';
import type { Caller } from '../../plugins/app/auth';
import { HttpProblem, notFound, unprocessable } from '../../problem';
import { stayAccess } from './access';

const NO_APPLICATION = 'No application with this id belongs to this stay.';

const refuseDates = (errors: { path: string; message: string }[]) => {
  if (errors.length > 0)
    throw new HttpProblem(
      422,
      'Unprocessable Content',
      `The application's dates do not fit: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`,
      { code: 'application-dates', errors },
    );
};

/**
 * Applications and referrals over time (§2.2): the ones recorded with the milestone, more added later, each with its
 * outcome and whether the institution's own report went with it. Scoped like the stay (404 outside it), every read in
 * the access log, every change in the stay's audit trail.
 */
const applicationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { requireResponsible, readBack } = stayAccess(app);
  const today = () => osloDate(Date.now());

  /** Both parties record; a completed stay is settled (409). */
  async function openStay(id: string, caller: Caller) {
    await requireResponsible(id, caller);
    const stay = await readBack(id, caller);
    if (stay.status === 'completed')
      throw new HttpProblem(409, 'Conflict', 'The stay is completed; its applications can no longer be changed.', {
        code: 'stay-closed',
      });
    return stay;
  }

  app.get(
    '/:id/applications',
    {
      schema: {
        summary: "The stay's applications and referrals (§2.2), by sent date",
        description:
          'The ones recorded with the `applications` milestone (origin `milestone`) and the ones added later (`added`).',
        tags: ['applications'],
        params: StayParams,
        response: { 200: ApplicationList },
      },
    },
    async (req) => {
      const stay = await readBack(req.params.id, req.user);
      await app.accessLog.record(req.user, stay.id, 'applications', req.id);
      return { applications: await app.applications.list(stay) };
    },
  );

  app.post(
    '/:id/applications',
    {
      schema: {
        summary: 'Add an application or referral (§2.2)',
        description:
          'Type, who is responsible, the day it was sent; optionally its outcome (granted/refused with its date) and whether the institution\'s own report ("egen rapport") went with it. 422 when a date is in the future or the decision is before the sending. With an Idempotency-Key a retry answers with the same application.',
        tags: ['applications'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: AddApplicationBody,
        response: { 200: Application, 201: Application },
      },
    },
    async (req, reply) => {
      const stay = await openStay(req.params.id, req.user);
      refuseDates(applicationDateRefusals({ sentOn: req.body.sentOn, outcomeOn: req.body.outcomeOn ?? null }, today()));
      const { application, created } = await app.applications.add(
        stay.id,
        req.user,
        req.body,
        req.headers['idempotency-key'],
      );
      return reply
        .code(created ? 201 : 200)
        .header('location', `/api/stays/${stay.id}/applications/${application.id}`)
        .send(application);
    },
  );

  app.patch(
    '/:id/applications/:applicationId',
    {
      schema: {
        summary: 'Record the outcome of an application, the report that went with it, or correct it',
        description:
          'outcome granted/refused with outcomeOn; pending clears the date. Also for the applications recorded with the milestone. Audited: who, when, before → after (changed fields only).',
        tags: ['applications'],
        params: ApplicationParams,
        body: UpdateApplicationBody,
        response: { 200: Application },
      },
    },
    async (req) => {
      const stay = await openStay(req.params.id, req.user);
      const after = await app.applications.preview(stay, req.params.applicationId, req.body);
      if (!after) throw notFound(NO_APPLICATION);
      if (after.outcome !== 'pending' && !after.outcomeOn)
        throw unprocessable('A decision has a date: give outcomeOn with the outcome.', [
          { path: 'body.outcomeOn', message: 'a decision has a date: give outcomeOn' },
        ]);
      if (after.outcome === 'pending' && req.body.outcomeOn)
        throw unprocessable('A pending application has no outcome date: give outcome granted or refused with it.', [
          { path: 'body.outcomeOn', message: 'a pending application has no outcome date' },
        ]);
      refuseDates(applicationDateRefusals(after, today()));
      const saved = await app.applications.update(stay, req.params.applicationId, req.user, req.body);
      if (!saved) throw notFound(NO_APPLICATION);
      return saved;
    },
  );
};

export default applicationRoutes;
