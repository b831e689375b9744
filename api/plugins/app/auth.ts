import jwt, { type TokenOrHeader } from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { emailAddress } from '../../../schemas/email';
import { SHARED_SECRET_DEFAULTS } from '../../../config/token-auth';
import type { Actor } from '../../../workflows/stay/types';
import { HttpProblem } from '../../problem';
import { createFailedLoginThrottle } from './failed-logins';
import { createOidcKeySet } from './oidc-keys';

/** The person's name (OIDC `name`), when the token has one: people are shown by name (plugins/app/user-directory.ts). */
const Name = z.string().trim().min(1).max(200).optional().catch(undefined);
/** The person's work e-mail (OIDC `email`), when the token has one: an alarm they took is e-mailed to them. */
const Email = emailAddress('an e-mail address').optional().catch(undefined);

const Claims = z.discriminatedUnion('role', [
  z.object({
    sub: z.string().min(1),
    role: z.literal('admin'),
    org: z.undefined().optional(),
    name: Name,
    email: Email,
  }),
  z.object({
    sub: z.string().min(1),
    role: z.enum(['institution', 'bydel']),
    org: z.string().min(1),
    name: Name,
    email: Email,
  }),
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
    /** With OIDC: the provider's cached key set. */
    oidcKeySet?: ReturnType<typeof createOidcKeySet>;
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
  /** An unknown key id refetches the provider's key set at most this often (default 60 s). */
  minKeyRefetchMs?: number;
};

/** What HS256 tokens must name and how long they may live (config/token-auth.ts). */
export type SharedSecretPolicy = { issuer: string; audience: string; maxTtlSeconds: number };

export type AuthOptions = {
  secret: string;
  oidc?: OidcOptions;
  sharedSecretPolicy?: SharedSecretPolicy;
  /** Refused tokens per client IP and minute before its token-carrying requests get 429 unverified. */
  failedLoginsPerMinute?: number;
};

export default fp(
  async (app: FastifyInstance, opts: AuthOptions) => {
    const policy = opts.sharedSecretPolicy ?? SHARED_SECRET_DEFAULTS;
    const throttle = createFailedLoginThrottle(opts.failedLoginsPerMinute ?? 30);
    if (opts.oidc) {
      // Keys found through the issuer's discovery document, cached; only this issuer, RS256/ES256, audience checked.
      const issuer = opts.oidc.issuer.replace(/\/$/, '');
      const keySet = createOidcKeySet(issuer, { minRefetchMs: opts.oidc.minKeyRefetchMs });
      app.decorate('oidcKeySet', keySet);
      await app.register(jwt, {
        secret: async (_request: FastifyRequest, token: TokenOrHeader) => {
          const header = 'header' in token ? token.header : token;
          return keySet.publicKey(header.kid, header.alg);
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
      // Algorithm, issuer and audience pinned; every token must say when it was issued and expire within the
      // maximum lifetime, so that a token minted for another system, or a leaked long-lived one, is refused.
      await app.register(jwt, {
        secret: opts.secret,
        sign: {
          algorithm: 'HS256',
          iss: policy.issuer,
          aud: policy.audience,
          expiresIn: `${Math.min(8 * 3600, policy.maxTtlSeconds)}s`,
        },
        verify: {
          algorithms: ['HS256'],
          allowedIss: policy.issuer,
          allowedAud: policy.audience,
          requiredClaims: ['exp', 'iat', 'iss', 'aud'],
        },
      });
    }
    const tooLong = (payload: unknown) => {
      if (opts.oidc) return false;
      const { iat, exp } = payload as { iat?: number; exp?: number };
      return typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > policy.maxTtlSeconds;
    };
    app.decorate('authenticate', async (request: FastifyRequest) => {
      if (!request.headers.authorization) {
        throw unauthorized(
          'Send "Authorization: Bearer <token>"; get a token with `npm run --silent token -- --role ROLE --org ORG`.',
        );
      }
      const wait = throttle.retryAfterSeconds(request.ip);
      if (wait > 0)
        throw new HttpProblem(
          429,
          'Too Many Requests',
          `Too many refused tokens from your address; try again in ${wait} s with a valid token.`,
        );
      let payload: unknown;
      try {
        payload = await request.jwtVerify();
      } catch {
        throttle.recordFailure(request.ip);
        throw unauthorized('The bearer token is invalid or expired; get a new one.');
      }
      if (tooLong(payload)) {
        throttle.recordFailure(request.ip);
        throw unauthorized(
          `The token lives longer than ${policy.maxTtlSeconds} s (AUTH_TOKEN_MAX_TTL); get a new one.`,
        );
      }
      const claims = Claims.safeParse(payload);
      if (!claims.success) {
        throttle.recordFailure(request.ip);
        throw unauthorized(
          'The token must carry sub, role (institution | bydel | admin) and org (for institution and bydel users).',
        );
      }
      request.user = claims.data;
    });
  },
  { name: 'auth' },
);
