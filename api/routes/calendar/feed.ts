import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FeedTokenParams } from '../../../schemas/calendar';
import { renderCalendar } from '../../plugins/app/calendar-ics';
import { notFound } from '../../problem';
import { originOf } from './origin';

/**
 * The subscribable feed itself. No bearer token (calendar clients cannot send one): the secret address is the
 * credential, checked against the stored hash; revoked or unknown answers 404. Each fetch is in the access log as
 * the feed's owner.
 */
const calendarFeedRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/feeds/:token.ics',
    {
      schema: {
        summary: 'A calendar feed (text/calendar, RFC 5545), by its secret address',
        description:
          'Meetings of the last 90 days and ahead (DTSTART with TZID=Europe/Oslo) and open deadlines the organisation answers for (all-day). No Authorization header: the address is the secret.',
        tags: ['calendar'],
        params: FeedTokenParams,
      },
    },
    async (req, reply) => {
      const feed = await app.calendarFeeds.open(req.params.token);
      if (!feed) throw notFound('This calendar address is unknown or has been revoked; make a new one in the app.');
      const [content, organisations, residentRefInTitles] = await Promise.all([
        app.calendarFeeds.content(feed, Date.now()),
        app.organisations.list({}),
        app.calendarFeeds.residentRefInTitles(feed.orgId),
      ]);
      await app.accessLog.record(
        { sub: feed.ownerSub, role: feed.ownerRole, org: feed.orgId },
        null,
        'calendar-feed',
        req.id,
      );
      const names = new Map(organisations.map((o) => [o.id, o.name]));
      const orgName = names.get(feed.orgId) ?? feed.orgId;
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(
          renderCalendar({
            name: feed.kind === 'user' ? `Oppholdsløpet: mine beboere (${orgName})` : `Oppholdsløpet: ${orgName}`,
            ...content,
            orgName: (id) => names.get(id) ?? id,
            residentRefInTitles,
            appBaseUrl: originOf(req),
            refreshMinutes: 60,
          }),
        );
    },
  );
};

export default calendarFeedRoutes;
