import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devLoginEnabled } from '../../../config/env';
import { startApiHarness, type Harness } from '../../support/api-harness';

describe('development login', () => {
  let withLogin: Harness;
  let without: Harness;
  beforeAll(async () => {
    [withLogin, without] = await Promise.all([
      startApiHarness({ withWorker: false, app: { devLogin: true } }),
      startApiHarness({ withWorker: false }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([withLogin?.close(), without?.close()]);
  });

  it('issues a token for the picked role and organisation that the API accepts', async () => {
    const res = await withLogin.app.inject({
      method: 'POST',
      url: '/api/dev/login',
      payload: { role: 'bydel', org: 'bydel-alna' },
    });
    expect(res.statusCode).toBe(200);
    const { token } = res.json();
    const list = await withLogin.app.inject({ url: '/api/stays', headers: { authorization: `Bearer ${token}` } });
    expect(list.statusCode).toBe(200);
    const claims = withLogin.app.jwt.decode<{ role: string; org: string; sub: string; exp: number }>(token)!;
    expect(claims).toMatchObject({ role: 'bydel', org: 'bydel-alna', sub: 'dev-bydel-bydel-alna' });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('refuses an organisation for an admin and a missing one for institution users', async () => {
    for (const payload of [{ role: 'admin', org: 'x' }, { role: 'institution' }, { role: 'root' }]) {
      const res = await withLogin.app.inject({ method: 'POST', url: '/api/dev/login', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('does not exist unless the app is built with devLogin', async () => {
    const res = await without.app.inject({ method: 'POST', url: '/api/dev/login', payload: { role: 'admin' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('is enabled only by DEV_LOGIN=true and never with an OIDC issuer', () => {
    expect(devLoginEnabled({})).toBe(false);
    expect(devLoginEnabled({ DEV_LOGIN: 'true' })).toBe(true);
    expect(devLoginEnabled({ DEV_LOGIN: 'true', OIDC_ISSUER: 'https://login.example' })).toBe(false);
  });
});
