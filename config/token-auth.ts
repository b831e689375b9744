import { createSigner } from 'fast-jwt';
import { type AppConfig, envOrFile, type OidcConfig, resolveJwtSecret } from './env';

/**
 * Bearer tokens signed with a shared HS256 secret (`npm run token`, the development login, machine-to-machine callers
 * without an identity provider). Every such token names this issuer and audience and lives at most `maxTtlSeconds`:
 * a leaked token is good for one working day at most, and a token minted for another system is refused.
 */
export type SharedSecretTokens = { secret: string; issuer: string; audience: string; maxTtlSeconds: number };

/** How the API verifies bearer tokens: the municipality's identity provider, or the shared secret. */
export type TokenAuth = { kind: 'oidc'; oidc: OidcConfig } | { kind: 'shared-secret'; tokens: SharedSecretTokens };

export const SHARED_SECRET_DEFAULTS = {
  issuer: 'stay-transition',
  audience: 'stay-transition-api',
  maxTtlSeconds: 8 * 3600,
} as const;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** "90", "90s", "30m", "8h", "2d" → seconds; undefined when it is not such a duration. */
export function parseTtlSeconds(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[(match[2] || 's') as keyof typeof UNIT_SECONDS];
  return seconds > 0 ? seconds : undefined;
}

/**
 * Words that mark a value copied from an example or typed by hand instead of generated: as a word of their own,
 * between separators ("-", "_", ".", a space …) or the ends, so that a generated base64 secret with "Test" or "xxx"
 * among its letters and digits is not taken for one. It was about once in 500 when any non-letter counted as a
 * separator, and a digit still did: "…HY2Test78S…" from `openssl rand -base64 32` was refused, which by the odds
 * (a four-letter word between two of base64's twelve non-letters) happens about once in 150,000 such secrets.
 * Base64's "+", "/" and "=" still separate: a placeholder word between them, about once in 2.5 million.
 */
const PLACEHOLDER =
  /(?:^|[^a-z0-9])(?:change|changeme|example|placeholder|secret|passw\w*|password|default|dummy|todo|xxxx+|test|fuzz|demo)(?:[^a-z0-9]|$)/i;

/**
 * Why a shared secret is too weak for production, or undefined. HS256 tokens can be forged by anyone who guesses
 * the secret, so it must be generated (`openssl rand -base64 32`), not typed: at least 32 characters, no placeholder
 * words, and an estimated entropy (Shannon, over its characters) of at least 128 bits.
 */
export function secretWeakness(secret: string): string | undefined {
  if (secret.length < 32) return 'it is shorter than 32 characters';
  if (PLACEHOLDER.test(secret)) return 'it looks like a placeholder (copied from an example?)';
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / secret.length) * Math.log2(n / secret.length);
  if (counts.size < 8 || bitsPerChar * secret.length < 128) return 'it has too little entropy (not random enough)';
  return undefined;
}

/**
 * Which tokens the API accepts. Outside the embedded development stack that is the municipality's identity provider
 * (OIDC_ISSUER), or — only with the explicit opt-in AUTH_SERVICE_TOKENS=true — service tokens signed with a strong
 * AUTH_JWT_SECRET. Throws with what to set, so that the API refuses to start rather than accept forgeable tokens.
 */
export function loadTokenAuth(config: AppConfig, env: NodeJS.ProcessEnv = process.env): TokenAuth {
  const optIn = env.AUTH_SERVICE_TOKENS === 'true';
  if (config.oidc) {
    if (optIn)
      throw new Error(
        'AUTH_SERVICE_TOKENS=true and OIDC_ISSUER are both set: with OIDC the shared secret is not accepted; unset one.',
      );
    return { kind: 'oidc', oidc: config.oidc };
  }
  const explicit = envOrFile(env, 'AUTH_JWT_SECRET');
  const maxTtl = env.AUTH_TOKEN_MAX_TTL;
  const maxTtlSeconds = maxTtl ? parseTtlSeconds(maxTtl) : SHARED_SECRET_DEFAULTS.maxTtlSeconds;
  if (!maxTtlSeconds) throw new Error(`AUTH_TOKEN_MAX_TTL must look like 3600, 30m, 8h or 2d, got "${maxTtl}"`);
  const tokens = {
    issuer: env.AUTH_TOKEN_ISSUER || SHARED_SECRET_DEFAULTS.issuer,
    audience: env.AUTH_TOKEN_AUDIENCE || SHARED_SECRET_DEFAULTS.audience,
    maxTtlSeconds,
  };
  if (config.embeddedStack) {
    return { kind: 'shared-secret', tokens: { secret: resolveJwtSecret(config.dataDir, explicit), ...tokens } };
  }
  if (!optIn)
    throw new Error(
      'Outside the embedded development stack the API accepts only tokens of the identity provider: set OIDC_ISSUER ' +
        '(and OIDC_AUDIENCE). For machine-to-machine callers without one, opt in with AUTH_SERVICE_TOKENS=true and a ' +
        'generated AUTH_JWT_SECRET (tokens must carry iss, aud and live at most AUTH_TOKEN_MAX_TTL).',
    );
  if (!explicit)
    throw new Error(
      'AUTH_SERVICE_TOKENS=true needs AUTH_JWT_SECRET (or AUTH_JWT_SECRET_FILE): generate one with `openssl rand -base64 32`.',
    );
  const weakness = secretWeakness(explicit);
  if (weakness)
    throw new Error(`AUTH_JWT_SECRET is refused: ${weakness}. Generate one with \`openssl rand -base64 32\`.`);
  return { kind: 'shared-secret', tokens: { secret: explicit, ...tokens } };
}

/** Signs a token the API accepts under `tokens` (issuer, audience, expiry within the maximum lifetime). */
export function signSharedSecretToken(
  tokens: SharedSecretTokens,
  claims: { sub: string; role: string; org?: string; name?: string; email?: string },
  ttlSeconds = tokens.maxTtlSeconds,
): string {
  if (ttlSeconds > tokens.maxTtlSeconds)
    throw new Error(`a token may live at most ${tokens.maxTtlSeconds} s (AUTH_TOKEN_MAX_TTL)`);
  return createSigner({
    key: tokens.secret,
    algorithm: 'HS256',
    iss: tokens.issuer,
    aud: tokens.audience,
    expiresIn: ttlSeconds * 1000,
  })(claims);
}
