import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contactIdsOf } from '../../../rules/exit-plan';
import { completionBodySchema } from '../../../rules/milestone-details';
import { osloDate } from '../../../rules/oslo-calendar';
import { EVENT_ROLES, mayRecordEvent } from '../../../rules/permissions';
import { unknownMilestone } from '../../../rules/refusals';
import { describeDeadlines } from '../../../rules/deadline-descriptions';
import type { Interpretations } from '../../../rules/interpretations';
import { isMilestoneKey, isStayEventType, STAY_EVENT_TYPES } from '../../../rules/types';
import { CommandRefused } from '../../../workflows/stay/stay-state';
import type { StayEvent } from '../../../workflows/stay/types';
import { forbidden, HttpProblem, invalidBody, notFound } from '../../problem';
import { stayAccess } from './access';
import { commandRoutes } from './command-route';
import { z } from 'zod';
import {
  CompleteBodyDoc,
  ConfirmDeviationParams,
  CorrectionBody,
  DeviationBody,
  EVENT_BODIES,
  EventBodyDoc,
  EventParams,
  ExitPlanBody,
  ExtraStatusReportBody,
  InsufficientBody,
  MilestoneParams,
  StayParams,
} from '../../../schemas/stays';

/** Every command on a stay after admission: milestones, §3 events, deviations (§1), the exit plan, corrections. */
const lifecycleRoutes: FastifyPluginAsyncZod<{ interpretations: Interpretations }> = async (app, opts) => {
  app.addHook('onRequest', app.authenticate);
  const { requireActiveBydel, readBack } = stayAccess(app);
  const command = commandRoutes(app);

  /** The people an exit plan names are contacts of the stay (GET /api/stays/:id/contacts): 422 naming each that is not. */
  async function requireContactsOfStay(stayId: string, named: { path: string; id: string }[]) {
    if (named.length === 0) return;
    const known = new Set((await app.contacts.list(stayId)).contacts.map((c) => c.id));
    const errors = named
      .filter((n) => !known.has(n.id))
      .map((n) => ({ path: `body.${n.path}`, message: 'not a contact of this stay' }));
    if (errors.length > 0)
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        `The exit plan names people who are not contacts of this stay (add them with PUT /api/stays/:id/contacts first): ${errors.map((e) => e.path).join(', ')}.`,
        { code: 'not-a-contact-of-this-stay', errors },
      );
  }

  command({
    method: 'POST',
    url: '/:id/milestones/status-report/insufficient',
    command: 'markStatusReportInsufficient',
    summary: 'The bydel marks the status report insufficient (§2.2)',
    description: `Opens the task \`status-report-causes\`: institution and bydel map the causes as soon as possible — due within ${opts.interpretations.statusReportCausesDays} days (RULE_STATUS_REPORT_CAUSES_DAYS).`,
    tags: ['milestones'],
    params: StayParams,
    body: InsufficientBody.optional(),
    input: ({ body }) => ({ date: body?.date ?? osloDate(Date.now()) }),
  });

  command({
    method: 'POST',
    url: '/:id/milestones/:key',
    command: 'completeMilestone',
    summary: 'Mark a milestone done',
    description: `Answers after the stay's workflow accepted it. Refusals: 404 unknown stay or key, 400 malformed body, 409 already done, 422 a rule says no. Keys and their deadlines (running configuration; a stay keeps its own): ${describeDeadlines(opts.interpretations)}.`,
    tags: ['milestones'],
    params: MilestoneParams,
    body: CompleteBodyDoc,
    input: ({ params: { key }, body }) => {
      if (!isMilestoneKey(key)) throw new CommandRefused(unknownMilestone(key));
      const parsed = completionBodySchema(key).safeParse(body);
      if (!parsed.success) throw invalidBody(`The record for "${key}"`, parsed.error.issues);
      const { doneAt, ...details } = parsed.data as { doneAt: string } & Record<string, unknown>;
      return { key, doneAt, details };
    },
  });

  command({
    method: 'POST',
    url: '/:id/events/:type',
    command: 'recordEvent',
    summary: 'Record an event of the stay',
    description: `Types: ${STAY_EVENT_TYPES.join(', ')}. \`housing-offered\` moves convening to the bydel (§2), opens the §3 milestones and supersedes the housing track — the status report, housing meeting and causes not yet overdue close as \`superseded-by-housing-offer\`, applications stay open without a deadline, one already overdue raises nothing further (withdrawing the offer by a correction reopens them); \`discharged\` starts the institution's 4-week availability and the final report; \`moved-in\` opens the follow-up meeting; \`ended-early\` (reason left | discharged-without-housing | moved-institution | died | other) closes open milestones as not applicable, the final report stays due — after a discharge without a move-in it records where the resident went (the bydel is reminded ${opts.interpretations.dischargedWithoutMoveInDays} days after the discharge, RULE_DISCHARGED_WITHOUT_MOVE_IN_DAYS); \`bydel-changed\` moves responsibility to another bydel.`,
    tags: ['events'],
    params: EventParams,
    body: EventBodyDoc,
    input: async ({ params: { type }, body, caller }) => {
      if (!isStayEventType(type))
        throw notFound(`There is no event "${type}". Events: ${STAY_EVENT_TYPES.join(', ')}.`);
      if (!mayRecordEvent(caller.role, type))
        throw forbidden(
          `"${type}" is recorded by ${EVENT_ROLES[type].filter((r) => r !== 'admin').join(' or ')} users.`,
        );
      const parsed = EVENT_BODIES[type].safeParse(body);
      if (!parsed.success) throw invalidBody(`The "${type}" event`, parsed.error.issues);
      const event = { type, ...parsed.data } as StayEvent;
      if (event.type === 'bydel-changed') await requireActiveBydel(event.bydelId, 'bydelId');
      if (event.type === 'housing-offered' && event.receivingBydelId)
        await requireActiveBydel(event.receivingBydelId, 'receivingBydelId');
      return { event };
    },
    answer: async (id, caller, { event }) => {
      // the bydel that handed the stay over no longer sees it afterwards; this answer is the hand-over itself
      if (event.type === 'bydel-changed' && caller.role === 'bydel') return (await app.stayReadModel.getStay(id, {}))!;
      return readBack(id, caller);
    },
  });

  command({
    method: 'POST',
    url: '/:id/deviations',
    command: 'agreeDeviation',
    summary: 'Agree another time frame for a milestone (§1)',
    description:
      "The workflow's timer moves to the agreed date; the stay shows `dueDate` = agreed date and `originalDueDate`. An escalation already raised for the old date stays in the history. `agreedBy` is your own party, or `both`: the other party then confirms it (POST /deviations/:milestone/confirm) and the date moves only then — unless you state it on behalf of both (`onBehalfOfBoth: true`, recorded as such). Deadlines tied to it follow (the housing mapping the first meeting, the status report the housing meeting). Refused when it would move a date back past a completion it depends on.",
    tags: ['milestones'],
    params: StayParams,
    body: DeviationBody,
    input: ({ body }) => body,
  });

  command({
    method: 'POST',
    url: '/:id/deviations/:milestone/confirm',
    command: 'confirmDeviation',
    summary: 'Confirm a deviation the other party proposed as agreed by both (§1)',
    description:
      'A user of the other party (the bydel for an institution proposal, and the other way round) confirms; the date moves then, and the stay records which user of each party confirmed. 409 `nothing-to-confirm` when none awaits; 403 for the party that proposed it.',
    tags: ['milestones'],
    params: ConfirmDeviationParams,
    body: z.object({}).strict().optional(),
    input: ({ params }) => ({ milestone: params.milestone }),
  });

  command({
    method: 'POST',
    url: '/:id/extra-status-reports',
    command: 'agreeExtraStatusReport',
    summary: 'Agree an extra status report for this stay (§2.2)',
    description:
      'Opens (or extends) the milestone `extra-status-report`: each agreed report is due on its own date; complete it with POST /milestones/extra-status-report.',
    tags: ['milestones'],
    params: StayParams,
    body: ExtraStatusReportBody,
    input: ({ body }) => ({ dueDate: body.dueDate }),
  });

  command({
    method: 'PUT',
    url: '/:id/exit-plan',
    command: 'updateExitPlan',
    summary: 'Record or edit the exit plan (§3.2, vedlegg 1)',
    description:
      "Eight parts with responsible party, status and named tasks (owner, date; at most 10 a part, a title of at most 120 characters), the contact persons from the stay's contacts, the contingency plan (kriseplan) as a short part of its own (`parts.contingency-plan`), any agreement to keep the institution place or a day place (paid by the bydel, the resident, or nobody), and an agreed end of the institution's participation. Every contact id must be a contact of the stay (422 otherwise). Free text is short and never a health detail.",
    tags: ['events'],
    params: StayParams,
    body: ExitPlanBody,
    input: async ({ params, body }) => {
      await requireContactsOfStay(params.id, contactIdsOf(body));
      return { plan: body };
    },
  });

  command({
    method: 'POST',
    url: '/:id/corrections',
    command: 'correct',
    summary: 'Withdraw or re-date an earlier completion or event',
    description:
      'Allowed for the organisation that recorded it, or an administrator, with a reason. The stay is recomputed from the corrected record (e.g. withdrawing housing-offered gives convening back to the institution); refused when what follows would break a rule.',
    tags: ['milestones'],
    params: StayParams,
    body: CorrectionBody,
    input: ({ body }) => body,
  });
};

export default lifecycleRoutes;
