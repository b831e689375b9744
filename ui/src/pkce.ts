// Proof Key for Code Exchange (RFC 7636) and the other small pure pieces the browser login needs (JWT claims, the
// path to return to), on WebCrypto only: no DOM, so vitest runs them in node.

/** base64url without padding (RFC 4648 §5), as PKCE and JWTs use it. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `bytes` cryptographically random bytes, base64url: 32 bytes give 43 characters of [A-Za-z0-9_-]. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** A code_verifier: 64 characters from the unreserved set (RFC 7636 §4.1 asks for 43–128). */
export const createCodeVerifier = (): string => randomToken(48);

/** code_challenge for method S256: base64url(SHA-256(ASCII(code_verifier))). */
export async function codeChallengeS256(codeVerifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(codeVerifier))
    throw new Error('a code_verifier is 43–128 characters of [A-Za-z0-9-._~]');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}

/** The claims of a JWT, unverified (the browser only reads them; the API verifies every token it is sent). */
export function jwtClaims(token: string): Record<string, unknown> | null {
  try {
    const part = token.split('.')[1];
    if (!part) return null;
    const binary = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Only a path inside the app may be where a login returns to (no other origin, no login page). */
export function safeReturnPath(from: unknown): string | null {
  return typeof from === 'string' &&
    from.startsWith('/') &&
    !from.startsWith('//') &&
    !from.startsWith('/\\') &&
    !from.startsWith('/logg-inn')
    ? from
    : null;
}
