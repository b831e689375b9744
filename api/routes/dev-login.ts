import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DevLoginBody, DevLoginStatus, DevLoginToken } from '../../schemas/auth';
import { OrganisationList } from '../../schemas/organisations';

/** Tokens from this route stop working after a working day; a person logs in again. */
const DEV_TOKEN_TTL = '8h';

/**
 * Development login: anyone who can reach the API picks a role and an organisation and gets a token for it.
 * Registered only when the app is built with `devLogin: true` (the embedded default, never with an OIDC issuer):
 * with it the API trusts whatever a caller claims to be.
 */
const devLoginRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/login',
    {
      schema: {
        summary: 'Whether the development login is enabled (it is, when this route answers)',
        tags: ['development'],
        response: { 200: DevLoginStatus },
      },
    },
    async () => ({ enabled: true as const, tokenTtl: DEV_TOKEN_TTL }),
  );

  app.get(
    '/organisations',
    {
      schema: {
        summary: 'Development only: the active organisations the login page offers',
        description:
          'Read-only and without a token, like the login itself; exists only with DEV_LOGIN. Signed-in users read GET /api/organisations.',
        tags: ['development'],
        response: { 200: OrganisationList },
      },
    },
    async () => ({ items: await app.organisations.list({ active: true }) }),
  );

  app.post(
    '/login',
    {
      schema: {
        summary: 'Development only: a token for the role and organisation you pick',
        description:
          "Only in the embedded development setup (DEV_LOGIN). Production uses the municipality's OIDC provider.",
        tags: ['development'],
        body: DevLoginBody,
        response: { 200: DevLoginToken },
      },
    },
    async (req) => {
      const body = req.body;
      const org = body.role === 'admin' ? null : body.org;
      const sub = body.sub ?? `dev-${body.role}${org ? `-${org}` : ''}`;
      const claims = {
        sub,
        role: body.role,
        ...(org ? { org } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.email ? { email: body.email } : {}),
      };
      const token = app.jwt.sign(claims, { expiresIn: DEV_TOKEN_TTL });
      req.log.info({ role: body.role, org }, 'development login');
      return { token, role: body.role, org, sub };
    },
  );
};

export default devLoginRoutes;
