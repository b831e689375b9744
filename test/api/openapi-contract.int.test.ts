import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type Harness } from '../support/api-harness';

/**
 * The OpenAPI document is the contract bench/fuzz.sh holds the API to; these are the parts of it that come from shared
 * mechanisms (api/plugins/external/openapi-contract.ts), checked against what the API really does, so that the
 * document cannot drift between fuzz runs.
 */
type Operation = { responses: Record<string, { content?: Record<string, unknown> }>; security?: unknown[] };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

let h: Harness;
let doc: Doc;
beforeAll(async () => {
  h = await startApiHarness({ withWorker: false, app: { devLogin: true } });
  doc = (await h.app.inject({ url: '/docs/json' })).json();
});
afterAll(() => h?.close());

/** A concrete URL for a documented path: ids that name nothing. */
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'orgId' ? 'org-none' : name === 'key' ? 'plan-started' : randomUUID(),
  );

describe('the OpenAPI contract', () => {
  it('documents the problem+json refusals every operation can give', () => {
    expect(doc.components.schemas.Problem).toBeDefined();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const statuses = Object.keys(op.responses);
        const where = `${method.toUpperCase()} ${path}`;
        expect(statuses, where).toContain('503');
        if (['/health', '/live', '/ready'].includes(path)) continue;
        expect(statuses, where).toEqual(expect.arrayContaining(['429', '504']));
        if (op.security?.length !== 0) expect(statuses, where).toEqual(expect.arrayContaining(['401', '403', '404']));
        if (method !== 'get') expect(statuses, where).toEqual(expect.arrayContaining(['409', '422']));
        expect(Object.keys(op.responses['429']!.content ?? {}), where).toEqual(['application/problem+json']);
      }
    }
  });

  it('says which routes are public, and exactly those answer without a token', async () => {
    const mismatches: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const res = await h.app.inject({
          method: method.toUpperCase() as 'GET',
          url: concrete(path),
          payload: method === 'get' ? undefined : {},
        });
        const documentedPublic = Array.isArray(op.security) && op.security.length === 0;
        if (documentedPublic === (res.statusCode === 401))
          mismatches.push(
            `${method.toUpperCase()} ${path}: security ${JSON.stringify(op.security)}, anonymous got ${res.statusCode}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('answers an undeclared method with 405 and the methods the path takes', async () => {
    for (const method of ['DELETE', 'PUT', 'TRACE'] as const) {
      const res = await h.app.inject({ method, url: '/api/auth/config' });
      expect(res.statusCode, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const stay = await h.app.inject({ method: 'DELETE', url: `/api/stays/${randomUUID()}`, headers: h.auth('admin') });
    expect([stay.statusCode, stay.headers.allow]).toEqual([405, 'GET, HEAD']);
    // a method with a body but without its type still learns which methods the path takes
    const query = await h.app.inject({ method: 'QUERY' as 'GET', url: '/api/stays' });
    expect([query.statusCode, query.headers.allow]).toEqual([405, 'GET, HEAD, POST']);
    expect((await h.app.inject({ method: 'DELETE', url: '/api/nothing-here' })).statusCode).toBe(404);
    // a feed's id takes DELETE only; GET is the secret address ending in .ics, another resource
    const feed = await h.app.inject({
      method: 'PUT',
      url: `/api/calendar/feeds/${randomUUID()}`,
      headers: h.auth('admin'),
    });
    expect([feed.statusCode, feed.headers.allow]).toEqual([405, 'DELETE']);
    const ics = await h.app.inject({ method: 'OPTIONS', url: `/api/calendar/feeds/${'0'.repeat(43)}.ics` });
    expect([ics.statusCode, ics.headers.allow]).toEqual([405, 'GET, HEAD']);
    // the router hands DELETE …/x.ics to the revoke route (`:feedId`); the address still takes GET only
    const revokeIcs = await h.app.inject({
      method: 'DELETE',
      url: `/api/calendar/feeds/${'0'.repeat(43)}.ics`,
      headers: h.auth('admin'),
    });
    expect([revokeIcs.statusCode, revokeIcs.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('refuses an over-long path parameter as a malformed request (400 problem)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${randomUUID()}/events/${'x'.repeat(150)}`,
      headers: h.auth('admin'),
      payload: { date: '2026-01-01' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('drops a __proto__ key from a body the document allows instead of refusing it', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/dev/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"role":"admin","__proto__":{"role":"x"}}',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('admin');
    expect(({} as { role?: string }).role).toBeUndefined();
  });

  it('refuses U+0000 in text (PostgreSQL cannot store it; the fuzzer found 500s and a wedged stay): 400 in a parameter, 422 in a body', async () => {
    const query = await h.app.inject({ url: '/api/access-log?userId=%00x', headers: h.auth('admin') });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ code: 'nul-character', errors: [{ path: 'querystring.userId' }] });
    const body = await h.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: h.auth('admin'),
      payload: { id: 'bydel-nul', kind: 'bydel', name: '\u0000&' },
    });
    expect(body.statusCode).toBe(422);
    expect(body.json()).toMatchObject({ code: 'nul-character', errors: [{ path: 'body.name' }] });
    const param = doc.paths['/api/access-log']!.get!;
    expect(JSON.stringify(param)).toContain('"not":{"pattern":"\\\\u0000"}');
  });
});
