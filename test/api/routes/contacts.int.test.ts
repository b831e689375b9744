import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-contacts-${run}`;
const BYDEL = 'bydel-contacts-a';
const RECEIVING = 'bydel-contacts-b';
const today = osloDate(Date.now());

let h: Harness;
let stayId: string;

const asInst = () => h.auth('institution', INST);
const asBydel = (org = BYDEL) => h.auth('bydel', org);
const put = (contacts: unknown[], headers = asInst(), id = stayId) =>
  h.app.inject({ method: 'PUT', url: `/api/stays/${id}/contacts`, headers, payload: { contacts } });
const get = (headers: Record<string, string>, id = stayId) =>
  h.app.inject({ url: `/api/stays/${id}/contacts`, headers });
const contactAudits = async () =>
  (await h.app.inject({ url: `/api/stays/${stayId}/history?action=contacts`, headers: h.auth('admin') })).json()
    .items as Array<{ action: string; actor: { sub: string; org: string }; details: Record<string, unknown> }>;

const primary = {
  role: 'primary-contact',
  name: 'Kari Primær',
  organisationId: INST,
  phone: '+47 22 33 44 55',
  email: 'kari.primaer@kontakt.test',
};
const bydelContact = { role: 'bydel-contact', name: 'Per Bydel', organisationId: BYDEL, email: 'per@kontakt.test' };

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL, RECEIVING);
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-CONTACTS-${run.toUpperCase()}`,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { months: -5 }),
  }));
});
afterAll(() => h?.close());

describe('GET/PUT /api/stays/:id/contacts', () => {
  it('starts empty, replaces the list, and shows it to both parties with ids', async () => {
    expect((await get(asInst())).json()).toEqual({ contacts: [], version: expect.any(String) });
    const res = await put([primary, bydelContact]);
    expect(res.statusCode).toBe(200);
    const { contacts } = res.json();
    expect(contacts).toEqual([
      { id: expect.any(String), ...primary },
      { id: expect.any(String), ...bydelContact },
    ]);
    expect((await get(asBydel())).json()).toEqual({ contacts, version: res.json().version });
  });

  it('is idempotent: the same list again keeps the ids and writes no second audit entry', async () => {
    const first = (await get(asInst())).json().contacts;
    const auditsBefore = (await contactAudits()).length;
    const again = await put([primary, bydelContact]);
    expect(again.json().contacts).toEqual(first);
    expect(await contactAudits()).toHaveLength(auditsBefore);
  });

  it('audits every change with who, when and before → after', async () => {
    const [kari, per] = (await get(asInst())).json().contacts;
    const res = await put(
      [
        { ...primary, id: kari.id, phone: '+47 99 88 77 66' },
        { role: 'other', name: 'Lege Legesen', organisationId: 'dps-nord' },
      ],
      asBydel(),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().contacts[0].id).toBe(kari.id);
    const last = (await contactAudits()).at(-1)!;
    expect(last.action).toBe('contacts.updated');
    expect(last.actor).toMatchObject({ sub: 'user-bydel', org: BYDEL });
    expect(last.details).toMatchObject({
      section: '§2',
      changed: [{ id: kari.id, from: { phone: '+47 22 33 44 55' }, to: { phone: '+47 99 88 77 66' } }],
      removed: [{ id: per.id, name: 'Per Bydel' }],
      added: [{ role: 'other', name: 'Lege Legesen', organisationId: 'dps-nord' }],
    });
  });

  it('refuses a malformed phone or e-mail with problem+json naming the field, and changes nothing', async () => {
    const before = (await get(asInst())).json();
    const res = await put([{ ...primary, phone: '12ab', email: 'not-an-address' }]);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.contacts.0.phone', 'body.contacts.0.email']));
    expect(res.json().detail).toContain('phone number has 8 to 15 digits');
    expect((await get(asInst())).json()).toEqual(before);
  });

  it('refuses a contact that cannot belong to the stay and an id that is not one of its contacts (422)', async () => {
    const wrongOrg = await put([{ ...primary, organisationId: BYDEL }]);
    expect(wrongOrg.statusCode).toBe(422);
    expect(wrongOrg.json()).toMatchObject({
      code: 'contact-not-of-this-stay',
      errors: [{ path: 'body.contacts.0.organisationId' }],
    });
    expect(wrongOrg.json().detail).toContain(`belongs to ${INST}`);
    const elsewhere = await put([{ ...bydelContact, organisationId: 'bydel-somewhere-else' }]);
    expect(elsewhere.statusCode).toBe(422);
    const unknownId = await put([{ ...primary, id: '00000000-0000-4000-8000-000000000000' }]);
    expect(unknownId.statusCode).toBe(422);
    expect(unknownId.json().errors).toEqual([{ path: 'body.contacts.0.id', message: 'not a contact of this stay' }]);
  });

  it('refuses the same person twice in one role', async () => {
    const res = await put([primary, { ...primary, name: 'kari primær' }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toBe('body.contacts.1.name');
  });

  it('answers 404 outside the scope, for reading and for writing', async () => {
    expect((await get(h.auth('institution', 'inst-elsewhere'))).statusCode).toBe(404);
    expect((await get(asBydel('bydel-elsewhere'))).statusCode).toBe(404);
    expect((await put([primary], h.auth('institution', 'inst-elsewhere'))).statusCode).toBe(404);
  });

  it('takes the booppfølger from the bydel the resident is moving to; that bydel reads the contacts but does not edit them', async () => {
    const offered = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/events/housing-offered`,
      headers: asBydel(),
      payload: {
        date: today,
        hasBooppfolgingDecision: true,
        housingConditionalOnFollowUp: false,
        receivingBydelId: RECEIVING,
      },
    });
    expect(offered.statusCode).toBe(200);
    const booppfolger = {
      role: 'housing-follow-up-worker',
      name: 'Bo Oppfølger',
      organisationId: RECEIVING,
      phone: '90011223',
    };
    const res = await put([primary, booppfolger]);
    expect(res.statusCode).toBe(200);
    const read = await get(asBydel(RECEIVING));
    expect(read.statusCode).toBe(200);
    expect(read.json().contacts.map((c: { name: string }) => c.name)).toEqual(['Kari Primær', 'Bo Oppfølger']);
    expect((await put([primary], asBydel(RECEIVING))).statusCode).toBe(403);
  });

  it('logs every read in the access log', async () => {
    await get(asBydel());
    const log = await h.app.inject({ url: `/api/stays/${stayId}/access-log`, headers: h.auth('admin') });
    const views = log.json().items.map((e: { view: string; actor: { org: string } }) => `${e.view}:${e.actor.org}`);
    expect(views).toContain(`contacts:${BYDEL}`);
    expect(views).toContain(`contacts:${RECEIVING}`);
  });
});

describe('concurrent edits of the contacts (If-Match)', () => {
  const putIf = (contacts: unknown[], ifMatch: string, headers = asInst()) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/stays/${stayId}/contacts`,
      headers: { ...headers, 'if-match': ifMatch },
      payload: { contacts },
    });

  it('refuses an edit of a list someone else changed since it was read (412), and changes nothing', async () => {
    const mine = await get(asInst());
    const theirs = await get(asBydel());
    const version = mine.json().version as string;
    expect(mine.headers.etag).toBe(`"${version}"`);
    expect(theirs.json().version).toBe(version);
    const current = mine.json().contacts as Array<Record<string, unknown>>;

    const first = await putIf([...current, bydelContact], `"${version}"`, asBydel());
    expect(first.statusCode).toBe(200);
    const next = first.json().version as string;
    expect(next).not.toBe(version);
    expect(first.headers.etag).toBe(`"${next}"`);
    const auditsBefore = (await contactAudits()).length;

    const stale = await putIf(
      [...current, { role: 'other', name: 'Lege Legesen', organisationId: 'dps-nord' }],
      `"${version}"`,
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ code: 'contacts-changed', currentVersion: next });
    expect(stale.json().detail).toContain('Someone else changed the contacts');
    // the contract documents it
    const doc = (await h.app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(doc.paths['/api/stays/{id}/contacts'].put.responses)).toContain('412');
    expect((await get(asInst())).json()).toEqual(first.json());
    expect(await contactAudits()).toHaveLength(auditsBefore);

    // the first edit retried (its answer lost) with the version it was based on: what it asks for is there, 200
    const retried = await putIf([...current, bydelContact], `"${version}"`, asBydel());
    expect(retried.statusCode).toBe(200);
    expect(retried.json().version).toBe(next);
    // with the current version the edit goes through
    const fresh = await putIf(current, `W/"${version}", "${next}"`);
    expect(fresh.statusCode).toBe(200);
  });

  it('replaces the list whatever it is for a caller that sends no If-Match, or If-Match: *', async () => {
    const stale = (await get(asInst())).json();
    await put([...stale.contacts, bydelContact], asBydel());
    const blind = await put(stale.contacts);
    expect(blind.statusCode).toBe(200);
    expect(blind.json().version).toBe(stale.version);
    expect((await putIf([...stale.contacts, bydelContact], '*')).statusCode).toBe(200);
  });
});
