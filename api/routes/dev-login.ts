import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../../config/env';
import { OrganisationList } from './organisations/schemas';

const OrgId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only');

const DevLoginBody = z.discriminatedUnion('role', [
  // strict without `org`: an administrator belongs to no organisation, and the document says so
  z.object({ role: z.literal('admin'), sub: z.string().trim().min(1).max(64).optional() }).strict(),
  z
    .object({ role: z.enum(['institution', 'bydel']), org: OrgId, sub: z.string().trim().min(1).max(64).optional() })
    .strict(),
]);

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
        response: { 200: z.object({ enabled: z.literal(true), tokenTtl: z.string() }) },
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
        response: {
          200: z.object({ token: z.string(), role: z.string(), org: z.string().nullable(), sub: z.string() }),
        },
      },
    },
    async (req) => {
      const body = req.body;
      const org = body.role === 'admin' ? null : body.org;
      const sub = body.sub ?? `dev-${body.role}${org ? `-${org}` : ''}`;
      const claims = org ? { sub, role: body.role, org } : { sub, role: body.role };
      const token = app.jwt.sign(claims, { expiresIn: DEV_TOKEN_TTL });
      req.log.info({ role: body.role, org }, 'development login');
      return { token, role: body.role, org, sub };
    },
  );
};

/**
 * Whether the API offers the development login: only with DEV_LOGIN=true, which `npm start` sets in the embedded
 * default, and never when an OIDC issuer is configured. DEV_LOGIN=true outside the embedded development stack (or
 * with NODE_ENV=production) is refused outright: anyone reaching the API could make themselves an administrator.
 */
export function devLoginEnabled(env: NodeJS.ProcessEnv, config: Pick<AppConfig, 'embeddedStack'>): boolean {
  if (env.DEV_LOGIN !== 'true') return false;
  if (!config.embeddedStack)
    throw new Error(
      'DEV_LOGIN=true is refused outside the embedded development stack (external DATABASE_URL/TEMPORAL_ADDRESS or NODE_ENV=production): unset it and log in through OIDC_ISSUER.',
    );
  return !env.OIDC_ISSUER;
}

export default devLoginRoutes;
