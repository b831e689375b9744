import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type Harness } from '../support/api-harness';

/** A local identity provider: OIDC discovery and a JWKS with one RSA key, as the municipality's would publish them. */
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KID = 'test-key-1';
const AUDIENCE = 'stay-transition';

let idp: Server;
let issuer: string;
let h: Harness;
/** Requests the provider answered, by path: how hard the API makes it work. */
const idpRequests: string[] = [];

beforeAll(async () => {
  idp = createServer((req, res) => {
    idpRequests.push(req.url ?? '');
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
    const body =
      req.url === '/realms/oslo/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }
        : req.url === '/realms/oslo/protocol/openid-connect/certs'
          ? { keys: [jwk] }
          : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', () => resolve()));
  issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}/realms/oslo`;
  h = await startApiHarness({ withWorker: false, app: { oidc: { issuer, audience: AUDIENCE } } });
});
afterAll(async () => {
  await h?.close();
  idp?.close();
});

const rs256 = (claims: object, opts: { iss?: string; aud?: string; expiresIn?: number } = {}) =>
  createSigner({
    key: privatePem,
    algorithm: 'RS256',
    kid: KID,
    iss: opts.iss ?? issuer,
    aud: opts.aud ?? AUDIENCE,
    expiresIn: opts.expiresIn ?? 600_000,
  })(claims);
const call = (token: string) =>
  h.app.inject({ url: '/api/stays?limit=1', headers: { authorization: `Bearer ${token}` } });

describe('tokens from the identity provider (OIDC, JWKS)', () => {
  it('accepts a token signed by the provider for this audience', async () => {
    expect((await call(rs256({ sub: 'kari', role: 'bydel', org: 'bydel-frogner' }))).statusCode).toBe(200);
  });

  it('refuses another audience, another issuer, the local HS256 secret and an expired token', async () => {
    const claims = { sub: 'kari', role: 'bydel', org: 'bydel-frogner' };
    expect((await call(rs256(claims, { aud: 'another-app' }))).statusCode).toBe(401);
    expect((await call(rs256(claims, { iss: 'http://127.0.0.1:1/realms/evil' }))).statusCode).toBe(401);
    const hs = createSigner({ key: 'test-secret-test-secret-test-secret', algorithm: 'HS256', expiresIn: 600_000 })(
      claims,
    );
    expect((await call(hs)).statusCode).toBe(401);
    const expired = rs256(claims, { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await call(expired)).statusCode).toBe(401);
  });

  it('fetches the key set again for an unknown key id at most once a minute, however many such tokens arrive', async () => {
    expect((await call(rs256({ sub: 'kari', role: 'bydel', org: 'bydel-frogner' }))).statusCode).toBe(200);
    const before = idpRequests.length;
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(
          createSigner({
            key: privatePem,
            algorithm: 'RS256',
            kid: `made-up-${i}`,
            iss: issuer,
            aud: AUDIENCE,
            expiresIn: 600_000,
          })({ sub: 'x', role: 'admin' }),
        ).then((r) => r.statusCode),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    // one refetch (discovery + key set) at most, not one per made-up key id
    expect(idpRequests.length - before).toBeLessThanOrEqual(2);
    // the known key keeps working from the cache
    expect((await call(rs256({ sub: 'kari', role: 'bydel', org: 'bydel-frogner' }))).statusCode).toBe(200);
  });
});
