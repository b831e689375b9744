import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { eventually } from '../../support/eventually';
import { registerOrganisations } from '../../support/organisations';
import { putContacts, registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-people-${run}`;
const BYDEL = 'bydel-people-a';
const today = osloDate(Date.now());

let h: Harness;
let stayId: string;
let otherStayId: string;

/** A person of the institution, with or without a name in their token. */
const person = (sub: string, name?: string) => ({
  authorization: `Bearer ${h.app.jwt.sign({ sub, role: 'institution', org: INST, ...(name ? { name } : {}) })}`,
});
type Item = { id: string; assignedTo: string | null; assignedToName: string | null; acknowledgedByName: string | null };
const inbox = async (headers: Record<string, string>, query: string) =>
  (await h.app.inject({ url: `/api/inbox${query}`, headers })).json() as { items: Item[]; total: number };

const register = async (ref: string) =>
  (
    await registerStay(h, {
      residentRef: ref,
      institutionId: INST,
      bydelId: BYDEL,
      admittedAt: addOffset(today, { days: -45 }),
    })
  ).id;

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  stayId = await register(`R-PEOPLE-${run.toUpperCase()}`);
  otherStayId = await register(`R-PEOPLE-OTHER-${run.toUpperCase()}`);
  await putContacts(h, stayId, h.auth('institution', INST), [
    { role: 'primary-contact', name: 'Ola Kontaktsen', organisationId: INST, userId: `ola-${run}` },
  ]);
});
afterAll(() => h?.close());

describe('"Ta saken": the assignee by name, and the inbox filter "mine"', () => {
  it('shows who took an item by the name in their login, and lists it under "mine" for them only', async () => {
    const kari = person(`kari-${run}`, 'Kari Koordinator');
    const items = await eventually(async () => {
      const list = await inbox(kari, `?stayId=${stayId}`);
      expect(list.items.length).toBeGreaterThan(1);
      return list.items;
    });
    const taken = await h.app.inject({ method: 'POST', url: `/api/inbox/${items[0]!.id}/assign`, headers: kari });
    expect(taken.json()).toMatchObject({ assignedTo: `kari-${run}`, assignedToName: 'Kari Koordinator' });
    const acknowledged = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${items[0]!.id}/acknowledge`,
      headers: kari,
    });
    expect(acknowledged.json().acknowledgedByName).toBe('Kari Koordinator');

    const mine = await inbox(kari, '?mine=true');
    expect(mine.items.map((i) => i.id)).toEqual([items[0]!.id]);
    expect(mine.total).toBe(1);
    expect((await inbox(person(`someone-${run}`), '?mine=true')).items).toEqual([]);
    // everyone in the organisation sees her name on the item
    const seen = (await inbox(h.auth('institution', INST), `?stayId=${stayId}`)).items.find(
      (i) => i.id === items[0]!.id,
    );
    expect(seen?.assignedToName).toBe('Kari Koordinator');
  });

  it('follows a changed name in the login', async () => {
    const kari = person(`kari-${run}`, 'Kari Nordmann');
    const mine = await inbox(kari, '?mine=true');
    expect(mine.items[0]?.assignedToName).toBe('Kari Nordmann');
  });

  it('keeps the e-mail address of a login, by which an alarm they took reaches them, and ignores one that is none', async () => {
    const sub = `mail-${run}`;
    const withEmail = (email: string) => ({
      authorization: `Bearer ${h.app.jwt.sign({ sub, role: 'institution', org: INST, name: 'Mia Epost', email })}`,
    });
    const stored = async () =>
      (await h.pool.query<{ email: string | null }>('SELECT email FROM user_directory WHERE sub = $1', [sub])).rows[0]
        ?.email;
    expect((await inbox(withEmail('mia@inst.test'), '?mine=true')).items).toEqual([]);
    expect(await stored()).toBe('mia@inst.test');
    // a claim that is no address neither refuses the login nor is kept
    const odd = await h.app.inject({ url: '/api/inbox?mine=true', headers: withEmail('not an address') });
    expect(odd.statusCode).toBe(200);
    expect(await stored()).toBeNull();
  });

  it("names a person without a name in their login by the stay's contact with their user id", async () => {
    const ola = person(`ola-${run}`);
    const item = (await inbox(ola, `?stayId=${stayId}`)).items.find((i) => !i.assignedTo)!;
    const taken = await h.app.inject({ method: 'POST', url: `/api/inbox/${item.id}/assign`, headers: ola });
    expect(taken.json().assignedToName).toBe('Ola Kontaktsen');
  });
});

describe('GET /api/stays?mine=true ("mine beboere")', () => {
  it('lists the stays where the caller is a contact', async () => {
    const mine = await h.app.inject({ url: '/api/stays?mine=true', headers: person(`ola-${run}`) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((s: { id: string }) => s.id)).toEqual([stayId]);
    const all = await h.app.inject({ url: '/api/stays', headers: person(`ola-${run}`) });
    expect(all.json().items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([stayId, otherStayId]));
    // a contact of a stay outside the caller's scope sees nothing of it
    const elsewhere = await h.app.inject({
      url: '/api/stays?mine=true',
      headers: { authorization: `Bearer ${h.app.jwt.sign({ sub: `ola-${run}`, role: 'bydel', org: 'bydel-x' })}` },
    });
    expect(elsewhere.json().items).toEqual([]);
  });
});
