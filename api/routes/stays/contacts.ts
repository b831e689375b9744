import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ContactList, PutContactsBody } from '../../../schemas/contacts';
import { contactRefusals, StaleContacts, UnknownContactId } from '../../plugins/app/contacts';
import { HttpProblem, unprocessable } from '../../problem';
import { stayAccess } from './access';
import { StayParams } from '../../../schemas/stays';

const IfMatchHeaders = z.object({
  'if-match': z.string().max(2000).optional().meta({
    description:
      'the `version` (ETag) of the list you read, e.g. "3q2-7w…"; `*` or no header: no check (the list is replaced whatever it is now)',
  }),
});

/**
 * The versions an If-Match header names (RFC 9110 §13.1.1): a list of entity tags, weak ones compared by their value
 * (the list's version is a digest of its content either way); undefined for none or `*` (no check).
 */
function versionsOf(ifMatch: string | undefined): string[] | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  return ifMatch
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((tag) => tag.length > 0);
}

/**
 * Who to call about a stay (§2, §3). Staff contact data is personal data: scoped like the stay (404 outside it),
 * every read in the access log, every change in the stay's audit trail.
 */
const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const { requireVisible, requireResponsible, readBack } = stayAccess(app);

  app.get(
    '/:id/contacts',
    {
      schema: {
        summary: "The stay's contacts: primary contacts, bydel contacts, the booppfølger, others",
        description:
          'Readable by whoever reads the stay (also the bydel the resident is moving to). Every read is in the access log.',
        tags: ['contacts'],
        params: StayParams,
        response: { 200: ContactList },
      },
    },
    async (req, reply) => {
      await requireVisible(req.params.id, req.user);
      await app.accessLog.record(req.user, req.params.id, 'contacts', req.id);
      const list = await app.contacts.list(req.params.id);
      reply.header('etag', `"${list.version}"`);
      return list;
    },
  );

  app.put(
    '/:id/contacts',
    {
      schema: {
        summary: "Replace the stay's contacts",
        description:
          'The list as a whole. Send `If-Match` with the version (ETag) you read: when someone changed the list since, 412 (`code: contacts-changed`) and nothing changes, so no edit is lost; without If-Match the list is replaced whatever it is now (last write wins, as for callers written before versions). A retry that asks for what the list already is answers 200. A contact keeps its id (and its meeting invitations) when the body gives the id, or when role, name and organisation are unchanged. 422 when a contact cannot belong to the stay: a primary contact belongs to the institution, a bydel contact and the booppfølger to a bydel of the stay (its own, an earlier one, or the one the resident is moving to). Audited: who, when, before → after.',
        tags: ['contacts'],
        params: StayParams,
        headers: IfMatchHeaders,
        body: PutContactsBody,
        response: { 200: ContactList },
      },
    },
    async (req, reply) => {
      const caller = req.user;
      const { id } = req.params;
      await requireResponsible(id, caller);
      const stay = await readBack(id, caller);
      if (stay.status === 'completed')
        throw new HttpProblem(409, 'Conflict', 'The stay is completed; its contacts can no longer be changed.');
      const refused = contactRefusals(stay, req.body.contacts);
      if (refused.length > 0)
        throw new HttpProblem(
          422,
          'Unprocessable Content',
          `Some contacts cannot belong to this stay: ${refused.map((e) => `${e.path}: ${e.message}`).join('; ')}.`,
          { code: 'contact-not-of-this-stay', errors: refused },
        );
      try {
        const { contacts, version } = await app.contacts.replace(
          id,
          caller,
          req.body.contacts,
          versionsOf(req.headers['if-match']),
        );
        await app.accessLog.record(caller, id, 'contacts', req.id);
        reply.header('etag', `"${version}"`);
        return { contacts, version };
      } catch (err) {
        if (err instanceof StaleContacts)
          throw new HttpProblem(
            412,
            'Precondition Failed',
            'Someone else changed the contacts since you read them; nothing was saved. Read them again (GET) and make your change to the current list.',
            { code: 'contacts-changed', currentVersion: err.current },
          );
        if (err instanceof UnknownContactId)
          throw unprocessable(
            `contacts.${err.index}.id is not a contact of this stay; leave the id out to add a new contact.`,
            [{ path: `body.contacts.${err.index}.id`, message: 'not a contact of this stay' }],
          );
        throw err;
      }
    },
  );
};

export default contactRoutes;
