import { z } from 'zod';
import { emailAddress } from './email';
import { OrgId } from './stays';

/** How the web app logs people in: the development login, the municipality's OIDC provider, or not at all. */
export const AuthConfig = z.object({
  mode: z
    .enum(['dev', 'oidc', 'none'])
    .describe(
      'dev: POST /api/dev/login; oidc: authorization code + PKCE at `oidc.issuer`; none: no login in the web app',
    ),
  oidc: z
    .object({
      issuer: z.string().describe('Issuer URL; its discovery document is at <issuer>/.well-known/openid-configuration'),
      clientId: z.string().describe('The web app, a public client (no secret, PKCE with S256)'),
      scope: z.string(),
      audience: z
        .string()
        .optional()
        .describe(
          'Sent in the authorization request as `audienceParam`, when the provider needs it to issue tokens for this API',
        ),
      audienceParam: z.enum(['resource', 'audience']).optional(),
    })
    .optional(),
});
export type AuthConfig = z.infer<typeof AuthConfig>;

/** The caller as the API sees them: the verified token's claims. */
export const Me = z.object({
  sub: z.string(),
  role: z.enum(['institution', 'bydel', 'admin']),
  org: z.string().nullable(),
});
export type Me = z.infer<typeof Me>;

/** The development login (DEV_LOGIN only): pick a role and, except for admin, an organisation. */
export const DevLoginBody = z.discriminatedUnion('role', [
  // strict without `org`: an administrator belongs to no organisation, and the document says so
  z
    .object({
      role: z.literal('admin'),
      sub: z.string().trim().min(1).max(64).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      email: emailAddress('email is an e-mail address, like kari.nordmann@oslo.kommune.no').optional(),
    })
    .strict(),
  z
    .object({
      role: z.enum(['institution', 'bydel']),
      org: OrgId,
      sub: z.string().trim().min(1).max(64).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      email: emailAddress('email is an e-mail address, like kari.nordmann@oslo.kommune.no').optional(),
    })
    .strict(),
]);

export const DevLoginStatus = z.object({ enabled: z.literal(true), tokenTtl: z.string() });

export const DevLoginToken = z.object({
  token: z.string(),
  role: z.string(),
  org: z.string().nullable(),
  sub: z.string(),
});
export type DevLoginToken = z.infer<typeof DevLoginToken>;
