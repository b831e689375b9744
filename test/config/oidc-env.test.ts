import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env';

const load = (env: Record<string, string>) =>
  loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/unused', ...env });

describe('OIDC settings from the environment', () => {
  it('are off without OIDC_ISSUER', () => {
    expect(load({ OIDC_CLIENT_ID: 'stays-web' }).oidc).toBeUndefined();
  });

  it("read issuer (without a trailing slash), audience, the web app's client id, scope and how to send the audience", () => {
    expect(load({ OIDC_ISSUER: 'https://login.example.no/realms/oslo/' }).oidc).toEqual({
      issuer: 'https://login.example.no/realms/oslo',
      audience: 'stay-transition',
      clientId: undefined,
      scope: 'openid',
      audienceParam: 'none',
    });
    expect(
      load({
        OIDC_ISSUER: 'https://login.example.no',
        OIDC_AUDIENCE: 'urn:oslo:stays',
        OIDC_CLIENT_ID: 'stays-web',
        OIDC_SCOPE: 'openid profile',
        OIDC_AUDIENCE_PARAM: 'resource',
      }).oidc,
    ).toEqual({
      issuer: 'https://login.example.no',
      audience: 'urn:oslo:stays',
      clientId: 'stays-web',
      scope: 'openid profile',
      audienceParam: 'resource',
    });
  });

  it('refuses an issuer that is not an http(s) URL, and an unknown audience parameter', () => {
    expect(() => load({ OIDC_ISSUER: 'login.example.no' })).toThrow(/OIDC_ISSUER must be the issuer URL/);
    expect(() => load({ OIDC_ISSUER: 'https://login.example.no', OIDC_AUDIENCE_PARAM: 'aud' })).toThrow(
      /OIDC_AUDIENCE_PARAM/,
    );
  });
});
