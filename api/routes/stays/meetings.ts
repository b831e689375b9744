import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addOffset, osloDate, osloMidnight } from '../../../rules/oslo-calendar';
import { osloInstant } from '../../../rules/oslo-time';
import {
  AttendanceBody,
  Meeting,
  MeetingList,
  MeetingParams,
  PlanMeetingBody,
  UpdateMeetingBody,
} from '../../../schemas/meetings';
import { type MeetingChange, nextPlannedOf, toMeeting } from '../../plugins/app/meetings';
import type { StayView } from '../../../schemas/stays';
import { HttpProblem, notFound, unprocessable } from '../../problem';
import { stayAccess } from './access';
import { IdempotencyHeaders, StayParams } from '../../../schemas/stays';

const NO_MEETING = 'No meeting with this id belongs to this stay.';
/** How far ahead a meeting can be planned: further is a typo more often than a plan. */
const HORIZON = { months: 24 };

/**
 * The instant of `plannedAt` for this stay: a time Oslo's clocks show, not before the admission and not
 * beyond the planning horizon (422).
 */
function startOf(plannedAt: string, stay: StayView, nowMs: number): number {
  const start = osloInstant(plannedAt);
  if (start === null)
    throw unprocessable(
      `${plannedAt} is not a time on Oslo's clocks (it does not exist, or falls in the hour skipped when summer time starts).`,
      [{ path: 'body.plannedAt', message: 'not a time on Oslo clocks' }],
    );
  const horizon = addOffset(osloDate(nowMs), HORIZON);
  if (start < osloMidnight(stay.admittedAt) || start >= osloMidnight(horizon))
    throw new HttpProblem(
      422,
      'Unprocessable Content',
      `A meeting is planned between the admission (${stay.admittedAt}) and ${horizon}.`,
      { code: 'meeting-out-of-range', errors: [{ path: 'body.plannedAt', message: 'outside the stay' }] },
    );
  return start;
}

/**
 * Meetings as records (§2, §2.1, §3.1, §3.3): planned in Oslo time with a place or video link and invited contacts,
 * moved or cancelled while planned, then who attended. Flags say at once what the Fellesskriv would object to.
 */
const meetingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { requireResponsible, readBack } = stayAccess(app);

  app.get(
    '/:id/meetings',
    {
      schema: {
        summary: "The stay's meetings, oldest first, with flags and the next planned one per milestone",
        tags: ['meetings'],
        params: StayParams,
        response: { 200: MeetingList },
      },
    },
    async (req) => {
      const stay = await readBack(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'meetings', req.id);
      const rows = await app.meetings.list(stay.id);
      return {
        meetings: rows.map((r) => toMeeting(r, stay.milestones)),
        nextPlanned: nextPlannedOf(rows, Date.now()),
      };
    },
  );

  app.post(
    '/:id/meetings',
    {
      schema: {
        summary: 'Plan a meeting',
        description:
          "`plannedAt` is wall-clock time in Europe/Oslo (YYYY-MM-DDTHH:mm). `invited`: contact ids of the stay. A date after the milestone's deadline is flagged in the answer at once (`flags`). 409 when the milestone is already done or no longer applies (the recurring cooperation meeting excepted). With an Idempotency-Key a retry answers with the same meeting.",
        tags: ['meetings'],
        params: StayParams,
        headers: IdempotencyHeaders,
        body: PlanMeetingBody,
        response: { 201: Meeting, 200: Meeting },
      },
    },
    async (req, reply) => {
      const caller = req.user;
      const { id } = req.params;
      await requireResponsible(id, caller);
      const stay = await readBack(id, caller);
      const milestone = stay.milestones.find((m) => m.key === req.body.milestone);
      if (stay.status === 'completed')
        throw new HttpProblem(409, 'Conflict', 'The stay is completed; no more meetings are planned in it.', {
          code: 'stay-closed',
        });
      if (milestone && !milestone.recurring && milestone.status === 'done')
        throw new HttpProblem(
          409,
          'Conflict',
          `"${milestone.key}" is already done (${milestone.doneAt}); correct that record if the meeting is still to come.`,
          { code: 'already-done' },
        );
      if (milestone?.status === 'not-applicable')
        throw new HttpProblem(409, 'Conflict', `"${milestone.key}" no longer applies to this stay.`, {
          code: 'not-applicable',
        });
      const { plannedAt, ...rest } = req.body;
      const { row, created } = await app.meetings.plan(
        id,
        caller,
        { ...rest, start: startOf(plannedAt, stay, Date.now()) },
        req.headers['idempotency-key'],
      );
      return reply
        .code(created ? 201 : 200)
        .header('location', `/api/stays/${id}/meetings/${row.id}`)
        .send(toMeeting(row, stay.milestones));
    },
  );

  app.patch(
    '/:id/meetings/:meetingId',
    {
      schema: {
        summary: 'Move, change or cancel a planned meeting',
        description:
          '`plannedAt` moves it, `status: "cancelled"` cancels it; `place`, `videoLink` (null removes), `invited` replace those. 409 for a meeting already held or cancelled. Each change is in the audit trail (before → after); one that changes nothing writes nothing.',
        tags: ['meetings'],
        params: MeetingParams,
        body: UpdateMeetingBody,
        response: { 200: Meeting },
      },
    },
    async (req) => {
      const caller = req.user;
      const { id, meetingId } = req.params;
      await requireResponsible(id, caller);
      const stay = await readBack(id, caller);
      const { plannedAt, status, ...rest } = req.body;
      const change: MeetingChange = {
        ...rest,
        ...(plannedAt ? { start: startOf(plannedAt, stay, Date.now()) } : {}),
        ...(status === 'cancelled' ? { cancel: true } : {}),
      };
      const row = await app.meetings.update(id, meetingId, caller, change);
      if (!row) throw notFound(NO_MEETING);
      return toMeeting(row, stay.milestones);
    },
  );

  app.put(
    '/:id/meetings/:meetingId/attendance',
    {
      schema: {
        summary: 'Record who attended, and whether housing was on the agenda',
        description:
          "Marks the meeting held. The answer flags a missing obligatory party (the bydel at the first meeting §2.1, the institution at the exit §3.1 and follow-up §3.3 meetings) and housing left off the agenda (§2). Recording again corrects it (audited). 422 before the meeting's day, 409 for a cancelled meeting. Completing the milestone is a separate step (POST /milestones/:key).",
        tags: ['meetings'],
        params: MeetingParams,
        body: AttendanceBody,
        response: { 200: Meeting },
      },
    },
    async (req) => {
      const caller = req.user;
      const { id, meetingId } = req.params;
      await requireResponsible(id, caller);
      const stay = await readBack(id, caller);
      const row = await app.meetings.recordAttendance(id, meetingId, caller, req.body, Date.now());
      if (!row) throw notFound(NO_MEETING);
      return toMeeting(row, stay.milestones);
    },
  );
};

export default meetingRoutes;
