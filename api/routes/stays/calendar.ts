import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { renderCalendar } from '../../plugins/app/calendar-ics';
import { originOf } from '../calendar/origin';
import { stayAccess } from './access';
import { StayParams } from '../../../schemas/stays';

/** A stay's meetings and open deadlines as an .ics file to import (RFC 5545). */
const stayCalendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { readBack } = stayAccess(app);

  app.get(
    '/:id/calendar.ics',
    {
      schema: {
        summary: "The stay's planned meetings and open deadlines as a calendar (text/calendar, RFC 5545)",
        description:
          'A VEVENT per planned meeting (DTSTART with TZID=Europe/Oslo), an all-day VEVENT per open deadline. Titles name the organisations; the resident reference only when your organisation opted in. The read is in the access log.',
        tags: ['calendar'],
        params: StayParams,
      },
    },
    async (req, reply) => {
      const stay = await readBack(req.params.id, req.user);
      const [meetings, organisations, residentRefInTitles] = await Promise.all([
        app.meetings.list(stay.id),
        app.organisations.list({}),
        app.calendarFeeds.residentRefInTitles(req.user.role === 'admin' ? null : req.user.org),
      ]);
      await app.accessLog.record(req.user, stay.id, 'calendar', req.id);
      const names = new Map(organisations.map((o) => [o.id, o.name]));
      const ics = renderCalendar({
        name: `Oppholdsløpet: møter og frister (${names.get(stay.institutionId) ?? stay.institutionId})`,
        stays: [stay],
        meetings: meetings
          .filter((m) => m.status !== 'cancelled')
          .map((m) => ({
            id: m.id,
            stayId: stay.id,
            milestone: m.milestone,
            start: m.planned_at,
            durationMinutes: m.duration_minutes,
            place: m.place,
            videoLink: m.video_link,
            moves: m.moves,
            updatedAt: m.updated_at,
          })),
        deadlines: stay.milestones
          .filter((m) => m.dueDate && !m.recurring && (m.status === 'pending' || m.status === 'overdue'))
          .map((m) => ({ stayId: stay.id, milestone: m.key, dueDate: m.dueDate! })),
        orgName: (id) => names.get(id) ?? id,
        residentRefInTitles,
        appBaseUrl: originOf(req),
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="opphold-${stay.id}.ics"`)
        .header('cache-control', 'private, no-store')
        .send(ics);
    },
  );
};

export default stayCalendarRoutes;
