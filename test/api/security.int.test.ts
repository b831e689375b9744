import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type Harness } from '../support/api-harness';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness({ withWorker: false, rateLimitPerMinute: 5 });
});
afterAll(() => h?.close());

const SECRET = 'test-secret-test-secret-test-secret';

describe('API security', () => {
  it('refuses a token without an expiry, or signed with another algorithm', async () => {
    const noExp = createSigner({ key: SECRET, algorithm: 'HS256' })({ sub: 'u', role: 'admin' });
    expect((await h.app.inject({ url: '/api/stays', headers: { authorization: `Bearer ${noExp}` } })).statusCode).toBe(
      401,
    );
    const hs512 = createSigner({ key: SECRET, algorithm: 'HS512', expiresIn: 60_000 })({ sub: 'u', role: 'admin' });
    expect((await h.app.inject({ url: '/api/stays', headers: { authorization: `Bearer ${hs512}` } })).statusCode).toBe(
      401,
    );
    const expired = createSigner({ key: SECRET, algorithm: 'HS256', expiresIn: 1 })({ sub: 'u', role: 'admin' });
    await new Promise((r) => setTimeout(r, 1_100));
    expect(
      (await h.app.inject({ url: '/api/stays', headers: { authorization: `Bearer ${expired}` } })).statusCode,
    ).toBe(401);
  });

  it('sends security headers and rate-limits each user, answering problem+json', async () => {
    const headers = h.auth('admin');
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof h.app.inject>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await h.app.inject({ url: '/api/stays?limit=1', headers });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers['content-type']).toContain('application/problem+json');
    expect(last!.json().detail).toMatch(/requests a minute/);
    // another user has a budget of their own
    const other = await h.app.inject({ url: '/api/stays?limit=1', headers: h.auth('institution', 'inst-sec') });
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-content-type-options']).toBe('nosniff');
    expect(other.headers['strict-transport-security']).toBeDefined();
  });
});
