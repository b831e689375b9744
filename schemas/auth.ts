import { z } from 'zod';

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
