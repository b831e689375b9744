import jwt, { type TokenOrHeader } from '@fastify/jwt';
import buildGetJwks from 'get-jwks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { Actor } from '../../../workflows/stay/types';
import { HttpProblem } from '../../problem';

/** The person's name (OIDC `name`), when the token has one: people are shown by name (plugins/app/user-directory.ts). */
const Name = z.string().trim().min(1).max(200).optional().catch(undefined);

const Claims = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('admin'), org: z.undefined().optional(), name: Name }),
  z.object({ sub: z.string().min(1), role: z.enum(['institution', 'bydel']), org: z.string().min(1), name: Name }),
]);

export type Caller = z.infer<typeof Claims>;

/** Which stays a caller may see: their institution's, their bydel's, or (admin) all. */
export type Scope = { institutionId?: string; bydelId?: string };

export const scopeOf = (caller: Caller): Scope =>
  caller.role === 'institution'
    ? { institutionId: caller.org }
    : caller.role === 'bydel'
      ? { bydelId: caller.org }
      : {};

export const inScope = (caller: Caller, stay: { institutionId: string; bydelId: string }): boolean =>
  caller.role === 'admin' ||
  (caller.role === 'institution' ? stay.institutionId === caller.org : stay.bydelId === caller.org);

export const actorOf = (caller: Caller): Actor => ({
  sub: caller.sub,
  role: caller.role,
  org: caller.role === 'admin' ? null : caller.org,
});

declare module '@fastify/jwt' {
  interface FastifyJWT {
    user: Caller;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for routes that need a caller: verifies the bearer token and its claims. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', detail);

/**
 * The municipality's identity provider: tokens are verified against its published keys (JWKS). `clientId`,
 * `scope` and `audienceParam` are for the web app's login (GET /api/auth/config); the verification ignores them.
 */
export type OidcOptions = {
  issuer: string;
  audience: string;
  clientId?: string;
  scope?: string;
  audienceParam?: 'none' | 'resource' | 'audience';
};

export default fp(
  async (app: FastifyInstance, opts: { secret: string; oidc?: OidcOptions }) => {
    if (opts.oidc) {
      // Keys found through the issuer's discovery document, cached; only this issuer, RS256/ES256, audience checked.
      const issuer = opts.oidc.issuer.replace(/\/$/, '');
      const jwks = buildGetJwks({ providerDiscovery: true, issuersWhitelist: [`${issuer}/`] });
      await app.register(jwt, {
        secret: async (_request: FastifyRequest, token: TokenOrHeader) => {
          const header = 'header' in token ? token.header : token;
          return jwks.getPublicKey({ kid: header.kid, alg: header.alg, domain: `${issuer}/` });
        },
        // complete: the key callback needs the token's header (kid, alg), not only its claims
        decode: { complete: true },
        verify: {
          algorithms: ['RS256', 'ES256'],
          allowedIss: issuer,
          allowedAud: opts.oidc.audience,
          requiredClaims: ['exp', 'iss', 'aud'],
        },
      });
    } else {
      // Algorithm pinned; every token must expire (tokens signed here last 8 hours unless told otherwise).
      await app.register(jwt, {
        secret: opts.secret,
        sign: { algorithm: 'HS256', expiresIn: '8h' },
        verify: { algorithms: ['HS256'], requiredClaims: ['exp'] },
      });
    }
    app.decorate('authenticate', async (request: FastifyRequest) => {
      if (!request.headers.authorization) {
        throw unauthorized(
          'Send "Authorization: Bearer <token>"; get a token with `npm run --silent token -- --role ROLE --org ORG`.',
        );
      }
      let payload: unknown;
      try {
        payload = await request.jwtVerify();
      } catch {
        throw unauthorized('The bearer token is invalid or expired; get a new one.');
      }
      const claims = Claims.safeParse(payload);
      if (!claims.success) {
        throw unauthorized(
          'The token must carry sub, role (institution | bydel | admin) and org (for institution and bydel users).',
        );
      }
      request.user = claims.data;
    });
  },
  { name: 'auth' },
);
