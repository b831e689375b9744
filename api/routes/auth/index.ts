import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OidcOptions } from '../../plugins/app/auth';
import { AuthConfig, Me } from '../../../schemas/auth';

/** What the web app needs to know before anyone is logged in, and who the API takes the caller to be. */
const authRoutes: FastifyPluginAsyncZod<{ devLogin: boolean; oidc?: OidcOptions }> = async (app, opts) => {
  const config: AuthConfig = opts.devLogin
    ? { mode: 'dev' }
    : opts.oidc?.clientId
      ? {
          mode: 'oidc',
          oidc: {
            issuer: opts.oidc.issuer.replace(/\/$/, ''),
            clientId: opts.oidc.clientId,
            scope: opts.oidc.scope ?? 'openid',
            ...(opts.oidc.audienceParam && opts.oidc.audienceParam !== 'none'
              ? { audience: opts.oidc.audience, audienceParam: opts.oidc.audienceParam }
              : {}),
          },
        }
      : { mode: 'none' };

  app.get(
    '/config',
    {
      schema: {
        summary: 'How the web app logs in (public: no token needed)',
        description:
          "The development login (DEV_LOGIN), or the OIDC provider with the web app's public client id (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_SCOPE).",
        tags: ['auth'],
        security: [],
        response: { 200: AuthConfig },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return config;
    },
  );

  app.get(
    '/me',
    {
      onRequest: app.authenticate,
      schema: {
        summary: "The caller as this API sees them (the verified token's sub, role and org)",
        description:
          'The web app asks this right after a login: a token the API does not accept (e.g. without role or org) answers 401.',
        tags: ['auth'],
        response: { 200: Me },
      },
    },
    async (request) => ({
      sub: request.user.sub,
      role: request.user.role,
      org: request.user.role === 'admin' ? null : request.user.org,
    }),
  );
};

export default authRoutes;
