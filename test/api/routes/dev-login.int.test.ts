import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app';
import { devLoginEnabled, loadConfig } from '../../../config/env';
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

  it('puts the name and e-mail given into the token, as the identity provider would', async () => {
    const res = await withLogin.app.inject({
      method: 'POST',
      url: '/api/dev/login',
      payload: { role: 'institution', org: 'inst-1', name: 'Kari Nordmann', email: 'kari@inst.test' },
    });
    expect(res.statusCode).toBe(200);
    expect(withLogin.app.jwt.decode(res.json().token)).toMatchObject({
      name: 'Kari Nordmann',
      email: 'kari@inst.test',
    });
  });

  it('refuses an organisation for an admin, a missing one for institution users, and an e-mail that is none', async () => {
    for (const payload of [
      { role: 'admin', org: 'x' },
      { role: 'institution' },
      { role: 'root' },
      { role: 'bydel', org: 'bydel-alna', email: 'kari' },
    ]) {
      const res = await withLogin.app.inject({ method: 'POST', url: '/api/dev/login', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('does not exist unless the app is built with devLogin', async () => {
    const res = await without.app.inject({ method: 'POST', url: '/api/dev/login', payload: { role: 'admin' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('is enabled only by DEV_LOGIN=true in the embedded stack, and never with an OIDC issuer', () => {
    const embedded = loadConfig({ DATA_DIR: '/tmp/unused' });
    expect(embedded.embeddedStack).toBe(true);
    expect(devLoginEnabled({}, embedded)).toBe(false);
    expect(devLoginEnabled({ DEV_LOGIN: 'true' }, embedded)).toBe(true);
    expect(devLoginEnabled({ DEV_LOGIN: 'true', OIDC_ISSUER: 'https://login.example' }, embedded)).toBe(false);
    // npm start's own children on its loopback servers are the embedded stack too
    const children = loadConfig({
      EMBEDDED_STACK: 'true',
      DATABASE_URL: 'postgres://stays:stays@127.0.0.1:5433/stays',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
    });
    expect(devLoginEnabled({ DEV_LOGIN: 'true' }, children)).toBe(true);
  });

  it('is refused outside the embedded stack and with NODE_ENV=production, whatever EMBEDDED_STACK says', async () => {
    const production = [
      { DATABASE_URL: 'postgres://stays:pw@db.internal:5432/stays', TEMPORAL_ADDRESS: 'temporal:7233' },
      // EMBEDDED_STACK cannot make a remote server count as embedded
      {
        EMBEDDED_STACK: 'true',
        DATABASE_URL: 'postgres://stays:pw@db.internal/stays',
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
      },
      { EMBEDDED_STACK: 'true', DATABASE_URL: 'postgres://s:s@127.0.0.1:5433/s', TEMPORAL_ADDRESS: 'temporal:7233' },
      { NODE_ENV: 'production' },
      {
        NODE_ENV: 'production',
        EMBEDDED_STACK: 'true',
        DATABASE_URL: 'postgres://s:s@127.0.0.1/s',
        TEMPORAL_ADDRESS: '127.0.0.1:7233',
      },
    ];
    for (const env of production) {
      const config = loadConfig({ DATA_DIR: '/tmp/unused', ...env });
      expect(config.embeddedStack, JSON.stringify(env)).toBe(false);
      expect(() => devLoginEnabled({ DEV_LOGIN: 'true' }, config), JSON.stringify(env)).toThrow(
        /DEV_LOGIN=true is refused outside the embedded development stack/,
      );
    }
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      // refused before anything is built, so no dependency is needed
      await expect(buildApp({ devLogin: true } as Parameters<typeof buildApp>[0])).rejects.toThrow(
        /never offered with NODE_ENV=production/,
      );
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });
});
