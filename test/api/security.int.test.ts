import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_SECRET_DEFAULTS } from '../../config/token-auth';
import { startApiHarness, type Harness } from '../support/api-harness';

let h: Harness;
let throttled: Harness;
beforeAll(async () => {
  [h, throttled] = await Promise.all([
    startApiHarness({ withWorker: false, rateLimitPerMinute: 5 }),
    startApiHarness({ withWorker: false, rateLimitPerMinute: 1000, app: { failedLoginsPerMinute: 3 } }),
  ]);
});
afterAll(() => Promise.all([h?.close(), throttled?.close()]));

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

  it('refuses HS256 tokens without issuer and audience, for another audience, or living longer than the maximum', async () => {
    const claims = { sub: 'u', role: 'admin' };
    const { issuer: iss, audience: aud } = SHARED_SECRET_DEFAULTS;
    const call = async (opts: { iss?: string; aud?: string; expiresIn: number }) =>
      (
        await h.app.inject({
          url: '/api/auth/me',
          headers: { authorization: `Bearer ${createSigner({ key: SECRET, algorithm: 'HS256', ...opts })(claims)}` },
        })
      ).statusCode;
    expect(await call({ iss, aud, expiresIn: 60_000 })).toBe(200);
    expect(await call({ expiresIn: 60_000 })).toBe(401);
    expect(await call({ iss, aud: 'another-api', expiresIn: 60_000 })).toBe(401);
    expect(await call({ iss: 'someone-else', aud, expiresIn: 60_000 })).toBe(401);
    expect(await call({ iss, aud, expiresIn: 30 * 86_400_000 })).toBe(401);
  });

  it('limits refused tokens per address before verifying them: over the limit even a valid token waits', async () => {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const forged = createSigner({ key: `guess-${i}-guess-guess-guess-guess`, algorithm: 'HS256', expiresIn: 60_000 })(
        {
          sub: 'x',
          role: 'admin',
        },
      );
      const res = await throttled.app.inject({
        url: '/api/stays?limit=1',
        remoteAddress: attacker,
        headers: { authorization: `Bearer ${forged}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    const blocked = await throttled.app.inject({
      url: '/api/stays?limit=1',
      remoteAddress: attacker,
      headers: throttled.auth('admin'),
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.json().detail).toMatch(/Too many refused tokens from your address; try again in \d+ s/);
    // another address is not affected
    const other = await throttled.app.inject({
      url: '/api/stays?limit=1',
      remoteAddress: '198.51.100.20',
      headers: throttled.auth('admin'),
    });
    expect(other.statusCode).toBe(200);
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
