import { describe, expect, it } from 'vitest';
import {
  base64url,
  codeChallengeS256,
  createCodeVerifier,
  jwtClaims,
  randomToken,
  safeReturnPath,
} from '../../ui/src/pkce';

describe('PKCE helpers of the web app login (RFC 7636)', () => {
  // RFC 7636 Appendix B: the verifier's 32 random octets, the verifier and its S256 challenge
  const octets = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91,
    88, 5, 88, 83, 132, 141, 121,
  ];
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

  it('matches the test vector of RFC 7636 appendix B', async () => {
    expect(base64url(new Uint8Array(octets))).toBe(verifier);
    expect(await codeChallengeS256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes random verifiers of 43–128 unreserved characters, never the same twice', async () => {
    const verifiers = new Set(Array.from({ length: 50 }, createCodeVerifier));
    expect(verifiers.size).toBe(50);
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await codeChallengeS256(createCodeVerifier())).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a verifier outside the RFC's length or alphabet", async () => {
    await expect(codeChallengeS256('too-short')).rejects.toThrow(/43–128/);
    await expect(codeChallengeS256('x'.repeat(129))).rejects.toThrow(/43–128/);
    await expect(codeChallengeS256(`${'x'.repeat(42)}+`)).rejects.toThrow(/43–128/);
  });

  it("reads a JWT's claims, UTF-8 included, and nothing else", () => {
    const jwt = (claims: object) =>
      `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(jwtClaims(jwt({ sub: 'kari', org: 'bydel-grünerløkka' }))).toEqual({
      sub: 'kari',
      org: 'bydel-grünerløkka',
    });
    expect(jwtClaims('not-a-jwt')).toBeNull();
    expect(jwtClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toBeNull();
  });

  it('returns after a login only to a path inside the app', () => {
    expect(safeReturnPath('/opphold/123')).toBe('/opphold/123');
    for (const from of ['//evil.example/x', '/\\evil.example', 'https://evil.example', '/logg-inn/callback', 42, null])
      expect(safeReturnPath(from)).toBeNull();
  });
});
