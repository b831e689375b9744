import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { unknownMilestone } from '../../../rules/refusals';
import { isMilestoneKey, type MilestoneKey } from '../../../rules/types';
import { MilestoneAssigneeList } from '../../../schemas/milestone-assignees';
import { MilestoneParams, StayParams } from '../../../schemas/stays';
import type { Caller } from '../../plugins/app/auth';
import { HeldByAnother } from '../../plugins/app/milestone-assignees';
import { forbidden, HttpProblem, notFound } from '../../problem';
import { stayAccess } from './access';

/**
 * "Ta saken" on a milestone: a person of the stay's institution or bydel takes a milestone to follow it up, shown by
 * name on the stay page and in the inbox ("Mine"). Scoped like the stay (404 outside it), in the access log, audited.
 */
const milestoneAssigneeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { requireVisible, requireResponsible, readBack } = stayAccess(app);

  /** The milestone of a stay the caller may take or give back: the stay's own staff, an existing key. */
  async function milestoneOf(id: string, key: string, caller: Caller): Promise<MilestoneKey> {
    await requireResponsible(id, caller);
    if (!isMilestoneKey(key)) throw notFound(unknownMilestone(key).message);
    return key;
  }

  app.get(
    '/:id/assignees',
    {
      schema: {
        summary: 'Who follows up which milestone of the stay ("Ta saken"), by name',
        description: 'Readable by whoever reads the stay. Every read is in the access log.',
        tags: ['milestones'],
        params: StayParams,
        response: { 200: MilestoneAssigneeList },
      },
    },
    async (req) => {
      await requireVisible(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'assignees', req.id);
      return { assignees: await app.milestoneAssignees.list(req.params.id) };
    },
  );

  app.put(
    '/:id/milestones/:key/assignee',
    {
      schema: {
        summary: 'Take a milestone ("Ta saken"): you follow it up',
        description:
          "For the stay's institution and bydel staff (an administrator follows nothing up: 403). Taking a milestone someone else holds takes it over. 409 when the milestone is done or no longer applies, or the stay is over. Taking what you hold changes nothing. Audited: who, when, before → after. Answers with every assignee of the stay.",
        tags: ['milestones'],
        params: MilestoneParams,
        response: { 200: MilestoneAssigneeList },
      },
    },
    async (req) => {
      const caller = req.user;
      const { id } = req.params;
      const key = await milestoneOf(id, req.params.key, caller);
      if (caller.role === 'admin')
        throw forbidden("A milestone is taken by the stay's institution or bydel staff who follow it up.");
      const stay = await readBack(id, caller);
      if (stay.status !== 'active')
        throw new HttpProblem(409, 'Conflict', 'The stay is over; its milestones are no longer followed up.', {
          code: 'stay-not-active',
        });
      const milestone = stay.milestones.find((m) => m.key === key);
      if (!milestone) throw notFound(unknownMilestone(key).message);
      if (milestone.status === 'done' || milestone.status === 'not-applicable')
        throw new HttpProblem(
          409,
          'Conflict',
          `The milestone "${key}" is ${milestone.status === 'done' ? 'done' : 'no longer applicable'}; there is nothing to follow up.`,
          { code: 'milestone-settled' },
        );
      const assignees = await app.milestoneAssignees.take(id, key, caller);
      await app.accessLog.record(caller, id, 'assignees', req.id);
      return { assignees };
    },
  );

  app.delete(
    '/:id/milestones/:key/assignee',
    {
      schema: {
        summary: 'Give a milestone back: nobody follows it up any more',
        description:
          'By the person who took it, or an administrator (someone who left); a colleague takes it over instead (PUT), 409 otherwise. Giving back what nobody holds changes nothing. Audited. Answers with every assignee of the stay.',
        tags: ['milestones'],
        params: MilestoneParams,
        response: { 200: MilestoneAssigneeList },
      },
    },
    async (req) => {
      const caller = req.user;
      const { id } = req.params;
      const key = await milestoneOf(id, req.params.key, caller);
      try {
        const assignees = await app.milestoneAssignees.giveBack(id, key, caller);
        await app.accessLog.record(caller, id, 'assignees', req.id);
        return { assignees };
      } catch (err) {
        if (err instanceof HeldByAnother)
          throw new HttpProblem(
            409,
            'Conflict',
            `${err.holder.name ?? 'Another person'} follows up "${key}"; only they can give it back. To follow it up yourself, take it over (PUT).`,
            { code: 'held-by-another' },
          );
        throw err;
      }
    },
  );
};

export default milestoneAssigneeRoutes;
