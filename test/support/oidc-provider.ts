import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider, { type IssuedToken, type OidcContext } from 'oidc-provider';

/**
 * A real OpenID provider on 127.0.0.1 for the browser login tests: panva's certified `oidc-provider`, configured as
 * the municipality's would be for this app — one public client (no secret) that must use PKCE with S256, RS256
 * JWT access tokens for the API's audience (RFC 8707 resource indicator) carrying `role` and `org`, refresh tokens,
 * RP-initiated logout. People log in on its development login form ("Enter any login"): the login name is the
 * account, whose role and organisation come from `accounts`.
 */
export type TestAccount = { role?: 'institution' | 'bydel' | 'admin'; org?: string };

export type TestOidcProvider = {
  issuer: string;
  /** Every successful token request's grant type, in order (authorization_code, refresh_token). */
  grants: string[];
  /** The query of every authorization request. */
  authorizationRequests: URLSearchParams[];
  close(): Promise<void>;
};

export async function startOidcProvider(opts: {
  port: number;
  /** The web app's origin: its /logg-inn/callback and /logg-inn are the client's registered redirect URIs. */
  appOrigin: string;
  clientId: string;
  /** The API's audience, a URI (resource indicator). */
  audience: string;
  accessTokenTtlSeconds: number;
  accounts: Record<string, TestAccount>;
}): Promise<TestOidcProvider> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-op-1', alg: 'RS256', use: 'sig' };
  const grants: string[] = [];
  const authorizationRequests: URLSearchParams[] = [];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_name: 'Fra institusjon til egen bolig',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${opts.appOrigin}/logg-inn/callback`],
        post_logout_redirect_uris: [`${opts.appOrigin}/logg-inn`],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => opts.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== opts.audience) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'stays',
            audience: opts.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: opts.accessTokenTtlSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // the browser calls the token endpoint itself: CORS for the client's own origin only
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris: string[] }) =>
      client.redirectUris.some((uri) => new URL(uri).origin === origin),
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    // a first-party app of the municipality: no consent screen, the grant covers openid and the API
    loadExistingGrant: async (ctx: OidcContext) => {
      const { client, session, result, provider: op } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session?.grantIdFor(client!.clientId);
      if (grantId) return op.Grant.find(grantId);
      const grant = new op.Grant({ accountId: session!.accountId!, clientId: client!.clientId });
      grant.addOIDCScope('openid');
      grant.addResourceScope(opts.audience, 'stays');
      await grant.save();
      return grant;
    },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
    // what the API authorizes on: role and org in the access token
    extraTokenClaims: (_ctx: unknown, token: IssuedToken) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = opts.accounts[token.accountId] ?? {};
      return { ...(account.role ? { role: account.role } : {}), ...(account.org ? { org: account.org } : {}) };
    },
    ttl: {
      AccessToken: opts.accessTokenTtlSeconds,
      Session: 3600,
      Interaction: 600,
      Grant: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 3600,
    },
  });
  provider.on('grant.success', (ctx) =>
    grants.push(String((ctx as { oidc: { params: { grant_type: string } } }).oidc.params.grant_type)),
  );

  const handle = provider.callback();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/auth' && req.method === 'GET') authorizationRequests.push(url.searchParams);
    handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    grants,
    authorizationRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
