import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(() => h?.close());

const admin = () => h.auth('admin');
const INST = 'inst-org-api';
const today = () => osloDate(Date.now());
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

const create = (payload: unknown, headers = admin()) =>
  h.app.inject({ method: 'POST', url: '/api/organisations', headers, payload: payload as object });
const patch = (id: string, payload: unknown, headers = admin()) =>
  h.app.inject({ method: 'PATCH', url: `/api/organisations/${id}`, headers, payload: payload as object });
const list = async (query = '', headers = admin()) =>
  (await h.app.inject({ url: `/api/organisations${query}`, headers })).json().items as {
    id: string;
    kind: string;
    name: string;
    active: boolean;
  }[];
const stayCount = async (bydelId: string) =>
  (await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stays WHERE bydel_id = $1', [bydelId])).rows[0]!.n;

describe('/api/organisations: the organisation register', () => {
  it('lists the 15 seeded bydeler to any signed-in user, filtered by kind and active', async () => {
    const bydeler = await list('?kind=bydel&active=true', h.auth('institution', INST));
    expect(bydeler.map((b) => b.id)).toEqual(
      expect.arrayContaining([
        'bydel-alna',
        'bydel-frogner',
        'bydel-sagene',
        'bydel-ostensjo',
        'bydel-sondre-nordstrand',
      ]),
    );
    expect(bydeler.find((b) => b.id === 'bydel-grunerlokka')).toMatchObject({
      kind: 'bydel',
      name: 'Bydel Grünerløkka',
      active: true,
    });
    expect(bydeler.every((b) => b.kind === 'bydel' && b.active)).toBe(true);
    expect(
      (await list('?kind=institution', h.auth('bydel', 'bydel-alna'))).every((o) => o.kind === 'institution'),
    ).toBe(true);
    expect((await h.app.inject({ url: '/api/organisations' })).statusCode).toBe(401);
    const bad = await h.app.inject({ url: '/api/organisations?kind=kommune&active=maybe', headers: admin() });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['querystring.active', 'querystring.kind']);
  });

  it('lets an admin add, rename, deactivate and reactivate, each change in the audit trail', async () => {
    const id = unique('inst-new');
    const created = await create({ id, kind: 'institution', name: '  Ny institusjon  ' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe(`/api/organisations/${id}`);
    expect(created.json()).toMatchObject({
      id,
      kind: 'institution',
      name: 'Ny institusjon',
      active: true,
      updatedBy: 'user-admin',
    });

    const renamed = await patch(id, { name: 'Institusjon Nord' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Institusjon Nord', active: true });
    expect((await patch(id, { active: false })).json()).toMatchObject({ active: false });
    expect((await list('?active=false')).map((o) => o.id)).toContain(id);
    expect((await list('?active=true')).map((o) => o.id)).not.toContain(id);
    expect((await patch(id, { active: true, name: 'Institusjon Nord' })).json()).toMatchObject({
      active: true,
      name: 'Institusjon Nord',
    });

    const history = await h.app.inject({ url: `/api/organisations/${id}/history`, headers: admin() });
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual([
      expect.objectContaining({
        action: 'organisation.created',
        actor: { sub: 'user-admin', role: 'admin' },
        details: { kind: 'institution', name: 'Ny institusjon' },
      }),
      expect.objectContaining({
        action: 'organisation.renamed',
        details: { from: 'Ny institusjon', to: 'Institusjon Nord' },
      }),
      expect.objectContaining({ action: 'organisation.deactivated' }),
      // the unchanged name in the last PATCH wrote nothing
      expect.objectContaining({ action: 'organisation.reactivated' }),
    ]);
  });

  it('answers 409 for a taken id or name, 404 for an unknown one, 403 to non-admins, 400 with the field named', async () => {
    const id = unique('bydel-dup');
    expect((await create({ id, kind: 'bydel', name: `Bydel ${id}` })).statusCode).toBe(201);
    const again = await create({ id, kind: 'bydel', name: 'Et annet navn' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().detail).toContain(`PATCH /api/organisations/${id}`);
    expect(again.json().existing).toMatchObject({ id, name: `Bydel ${id}` });
    const sameName = await create({ id: unique('bydel-dup'), kind: 'bydel', name: 'bydel frogner' });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().detail).toContain('bydel-frogner');
    expect((await patch(id, { name: 'Bydel Frogner' })).statusCode).toBe(409);

    const missing = await patch('bydel-finnes-ikke', { active: false });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toContain('GET /api/organisations');
    expect(
      (await h.app.inject({ url: '/api/organisations/bydel-finnes-ikke/history', headers: admin() })).statusCode,
    ).toBe(404);

    for (const headers of [h.auth('institution', INST), h.auth('bydel', 'bydel-alna')]) {
      expect((await create({ id: unique('inst-x'), kind: 'institution', name: 'X' }, headers)).statusCode).toBe(403);
      expect((await patch('bydel-alna', { active: false }, headers)).statusCode).toBe(403);
    }
    expect((await list('?kind=bydel')).find((b) => b.id === 'bydel-alna')?.active).toBe(true);

    const invalid = await create({ id: 'har mellomrom', kind: 'kommune', name: '' });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body.id', 'body.kind', 'body.name']);
    expect((await patch(id, {})).json().detail).toContain('send name, active or both');
    expect((await patch(id, { active: 'nei' })).statusCode).toBe(400);
  });
});

describe('a stay names only a registered, active bydel', () => {
  const register = (bydelId: string, headers = h.auth('institution', INST)) =>
    h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers,
      payload: { residentRef: 'R-ORG-1', institutionId: INST, bydelId, admittedAt: today() },
    });

  it('refuses registration for an unknown, a deactivated or a non-bydel id with 422, and creates nothing', async () => {
    const closed = unique('bydel-closed');
    await registerOrganisations(h, closed, { id: unique('inst-not-bydel'), kind: 'institution' });
    expect((await patch(closed, { active: false })).statusCode).toBe(200);
    const unknown = unique('bydel-xyz');

    const refused = await register(unknown);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'not-an-active-bydel',
      detail: expect.stringContaining(`${unknown} is not a registered, active bydel`),
      errors: [{ path: 'body.bydelId', message: 'not a registered, active bydel' }],
    });
    expect(refused.json().detail).toContain('GET /api/organisations?kind=bydel');
    const inactive = await register(closed);
    expect(inactive.statusCode).toBe(422);
    expect(inactive.json().detail).toContain('deactivated');
    expect((await register(INST)).statusCode).toBe(422);
    // a bydel user naming their own (deactivated) bydel is refused as well
    expect((await register(closed, h.auth('bydel', closed))).statusCode).toBe(422);

    expect(await stayCount(unknown)).toBe(0);
    expect(await stayCount(closed)).toBe(0);

    // reactivated, the same bydel takes stays again
    expect((await patch(closed, { active: true })).statusCode).toBe(200);
    expect((await register(closed)).statusCode).toBe(201);
  });

  it('refuses a bydel change or a move to an unknown or deactivated bydel, and leaves the stay as it was', async () => {
    const from = unique('bydel-from');
    const closed = unique('bydel-closed');
    await registerOrganisations(h, from, closed);
    await patch(closed, { active: false });
    const created = await register(from);
    expect(created.statusCode).toBe(201);
    const stay = created.json();
    const event = (type: string, payload: object) =>
      h.app.inject({
        method: 'POST',
        url: `/api/stays/${stay.id}/events/${type}`,
        headers: h.auth('bydel', from),
        payload,
      });

    for (const target of [unique('bydel-typo'), closed]) {
      const changed = await event('bydel-changed', { date: today(), bydelId: target });
      expect(changed.statusCode).toBe(422);
      expect(changed.json().errors).toEqual([{ path: 'body.bydelId', message: 'not a registered, active bydel' }]);
      const moved = await event('housing-offered', {
        date: today(),
        hasBooppfolgingDecision: true,
        housingConditionalOnFollowUp: false,
        receivingBydelId: target,
      });
      expect(moved.statusCode).toBe(422);
      expect(moved.json().errors).toEqual([
        { path: 'body.receivingBydelId', message: 'not a registered, active bydel' },
      ]);
    }
    const after = (await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('bydel', from) })).json();
    expect(after.bydelId).toBe(from);
    expect(after.transition.bydelChanges).toEqual([]);
    expect(after.transition.housingOffered).toBeFalsy();
    expect(after.revision).toBe(stay.revision);
  });
});

describe('GET /api/dev/organisations (development login only)', () => {
  it('lists active organisations without a token where the development login is on, and does not exist otherwise', async () => {
    expect((await h.app.inject({ url: '/api/dev/organisations' })).statusCode).toBe(404);
    const withLogin = await startApiHarness({ withWorker: false, app: { devLogin: true } });
    try {
      const closed = unique('bydel-closed');
      await registerOrganisations(withLogin, closed);
      await withLogin.app.inject({
        method: 'PATCH',
        url: `/api/organisations/${closed}`,
        headers: withLogin.auth('admin'),
        payload: { active: false },
      });
      const res = await withLogin.app.inject({ url: '/api/dev/organisations' });
      expect(res.statusCode).toBe(200);
      const ids = (res.json().items as { id: string; active: boolean }[]).map((o) => o.id);
      expect(ids).toContain('bydel-sagene');
      expect(ids).not.toContain(closed);
    } finally {
      await withLogin.close();
    }
  });
});
