import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CalendarSettings,
  CreatedFeed,
  CreateFeedBody,
  FeedList,
  FeedParams,
  OrgParams,
  PutCalendarSettingsBody,
} from '../../../schemas/calendar';
import { forbidden, notFound } from '../../problem';
import { originOf } from './origin';

/**
 * Subscribable calendars: a user or an organisation gets a secret feed address for calendar clients (which cannot
 * send a bearer token), and revokes it when it may have leaked or is no longer wanted.
 */
const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/feeds',
    {
      schema: {
        summary: 'Your calendar feeds and your organisation’s (not their addresses: those are shown once)',
        tags: ['calendar'],
        response: { 200: FeedList },
      },
    },
    async (req) => ({ feeds: await app.calendarFeeds.list(req.user) }),
  );

  app.post(
    '/feeds',
    {
      schema: {
        summary: 'A new calendar feed with a secret address',
        description:
          'The answer carries the address (`url`) once; only a hash of its token is stored. Subscribe to it in a calendar client. `user`: the stays where you are a contact; `organisation`: every stay of your organisation. Event titles name the organisations, and the resident only if the organisation opted in (PUT /api/calendar/settings/:orgId).',
        tags: ['calendar'],
        body: CreateFeedBody,
        response: { 201: CreatedFeed },
      },
    },
    async (req, reply) => {
      const caller = req.user;
      if (caller.role === 'admin')
        throw forbidden('A calendar follows an organisation’s stays; administrators have none. Log in as its user.');
      const { feed, token } = await app.calendarFeeds.create(caller, req.body.kind);
      return reply.code(201).send({ ...feed, url: `${originOf(req)}/api/calendar/feeds/${token}.ics` });
    },
  );

  app.delete(
    '/feeds/:feedId',
    {
      schema: {
        summary: 'Revoke a calendar feed: its address stops working at once',
        description: 'Your own feeds, your organisation’s feeds, or (admin) any.',
        tags: ['calendar'],
        params: FeedParams,
        response: { 204: z.null().meta({ description: 'Revoked; the answer has no body' }) },
      },
    },
    async (req, reply) => {
      if (!(await app.calendarFeeds.revoke(req.user, req.params.feedId)))
        throw notFound('No calendar feed with this id that you can revoke (it may be revoked already).');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/settings/:orgId',
    {
      schema: {
        summary: "An organisation's calendar settings",
        tags: ['calendar'],
        params: OrgParams,
        response: { 200: CalendarSettings },
      },
    },
    async (req) => {
      if (req.user.role !== 'admin' && req.user.org !== req.params.orgId) throw notFound('No such organisation.');
      return app.calendarFeeds.settings(req.params.orgId);
    },
  );

  app.put(
    '/settings/:orgId',
    {
      schema: {
        summary: 'Whether the organisation’s calendars name the resident in event titles (admin)',
        description:
          "Off unless an administrator opts the organisation in. A change is written to the organisation's change log (GET /api/organisations/:orgId/history, `organisation.calendar-settings-changed`, before → after). 404 for an organisation not in the register.",
        tags: ['calendar'],
        params: OrgParams,
        body: PutCalendarSettingsBody,
        response: { 200: CalendarSettings },
      },
    },
    async (req) => {
      if (req.user.role !== 'admin')
        throw forbidden('Only an administrator decides what an organisation’s calendars show.');
      if (!(await app.organisations.get(req.params.orgId))) throw notFound('No such organisation in the register.');
      await app.calendarFeeds.putSettings(req.params.orgId, req.body.residentRefInTitles, {
        sub: req.user.sub,
        role: req.user.role,
      });
      return app.calendarFeeds.settings(req.params.orgId);
    },
  );
};

export default calendarRoutes;
