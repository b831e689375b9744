import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { consentRefusals } from '../../../rules/consent';
import { osloDate } from '../../../rules/oslo-calendar';
import {
  ConsentBody,
  ConsentResponse,
  Participation,
  RelativesBody,
  RelativesResponse,
} from '../../../schemas/participation';
import { StayParams } from '../../../schemas/stays';
import { HttpProblem } from '../../problem';
import { stayAccess } from './access';

/**
 * The resident's say in the stay: consent to sharing between institution and bydel, relatives' involvement (§2),
 * presence at meetings. Scoped like the stay (404 outside it), every read in the access log, every change in the
 * stay's audit trail (before → after).
 */
const participationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { requireVisible, requireResponsible, readBack } = stayAccess(app);
  const today = () => osloDate(Date.now());

  /** Both parties record; a completed stay is settled (409). */
  async function requireOpenStay(id: string, caller: Parameters<typeof requireResponsible>[1], what: string) {
    await requireResponsible(id, caller);
    const stay = await readBack(id, caller);
    if (stay.status === 'completed')
      throw new HttpProblem(409, 'Conflict', `The stay is completed; its ${what} can no longer be changed.`, {
        code: 'stay-closed',
      });
  }

  app.get(
    '/:id/participation',
    {
      schema: {
        summary: "The resident's consent, relatives' involvement and presence at meetings, in one read",
        description:
          'Presence comes from the attendance recorded for held meetings (PUT /api/stays/:id/meetings/:meetingId/attendance). Every read is in the access log.',
        tags: ['participation'],
        params: StayParams,
        response: { 200: Participation },
      },
    },
    async (req) => {
      await requireVisible(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'participation', req.id);
      return app.participation.participation(req.params.id, today());
    },
  );

  app.get(
    '/:id/consent',
    {
      schema: {
        summary: "The resident's consent to sharing between institution and bydel",
        description: '`null` until an answer is recorded. `state` is where it stands today (Oslo).',
        tags: ['participation'],
        params: StayParams,
        response: { 200: ConsentResponse },
      },
    },
    async (req) => {
      await requireVisible(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'consent', req.id);
      return { consent: await app.participation.consent(req.params.id, today()) };
    },
  );

  app.put(
    '/:id/consent',
    {
      schema: {
        summary: "Record the resident's consent: given or refused, from when, until when, withdrawn",
        description:
          'Vedlegg 2 of the Oslostandard: "Samtykkeerklæring (nei/ja, med dato til)". A given consent needs `validUntil`; the institution is reminded 30 days before it runs out (once per consent and end date). Another `date` or yes ↔ no is a new consent. 422 when a date is in the future or out of order. Audited: who, when, before → after.',
        tags: ['participation'],
        params: StayParams,
        body: ConsentBody,
        response: { 200: ConsentResponse },
      },
    },
    async (req) => {
      const { id } = req.params;
      await requireOpenStay(id, req.user, 'consent');
      const refused = consentRefusals(
        {
          given: req.body.given,
          date: req.body.date,
          validUntil: req.body.validUntil ?? null,
          withdrawnOn: req.body.withdrawnOn ?? null,
        },
        today(),
      );
      if (refused.length > 0)
        throw new HttpProblem(
          422,
          'Unprocessable Content',
          `The consent's dates do not fit: ${refused.map((e) => `${e.path}: ${e.message}`).join('; ')}.`,
          { code: 'consent-dates', errors: refused },
        );
      const consent = await app.participation.putConsent(id, req.user, req.body, today());
      await app.accessLog.record(req.user, id, 'consent', req.id);
      return { consent };
    },
  );

  app.get(
    '/:id/relatives',
    {
      schema: {
        summary: "Whether the resident's relatives are involved (§2)",
        description: '`null` until recorded. Names of relatives are not kept here.',
        tags: ['participation'],
        params: StayParams,
        response: { 200: RelativesResponse },
      },
    },
    async (req) => {
      await requireVisible(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'relatives', req.id);
      return { relatives: await app.participation.relatives(req.params.id) };
    },
  );

  app.put(
    '/:id/relatives',
    {
      schema: {
        summary: 'Record whether relatives are involved: involved, not relevant, or not wanted by the resident (§2)',
        description:
          '§2: the institution, with the resident and the bydel, makes sure relatives are involved where relevant. 422 when `date` is in the future. Audited: who, when, before → after.',
        tags: ['participation'],
        params: StayParams,
        body: RelativesBody,
        response: { 200: RelativesResponse },
      },
    },
    async (req) => {
      const { id } = req.params;
      await requireOpenStay(id, req.user, 'record of relatives');
      if (req.body.date > today())
        throw new HttpProblem(
          422,
          'Unprocessable Content',
          `date ${req.body.date} is in the future; record what was agreed on or before today (${today()}).`,
          { code: 'date-in-future', errors: [{ path: 'body.date', message: 'in the future' }] },
        );
      const relatives = await app.participation.putRelatives(id, req.user, req.body);
      await app.accessLog.record(req.user, id, 'relatives', req.id);
      return { relatives };
    },
  );
};

export default participationRoutes;
