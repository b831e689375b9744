import { createPublicKey, type JsonWebKey } from 'node:crypto';

type Jwk = JsonWebKey & { kid?: string; alg?: string; use?: string };

/**
 * The identity provider's signing keys (OIDC discovery → `jwks_uri`), cached. A token with a key id the cache does
 * not know makes the API fetch the key set again — but at most once per `minRefetchMs`, however many such tokens
 * arrive: an anonymous caller sending made-up key ids cannot make the API hammer the municipality's provider.
 * The set is also refreshed once it is older than `maxAgeMs` (key rotation announced in advance).
 */
export function createOidcKeySet(
  issuer: string,
  opts: { minRefetchMs?: number; maxAgeMs?: number; timeoutMs?: number } = {},
) {
  const minRefetchMs = opts.minRefetchMs ?? 60_000;
  const maxAgeMs = opts.maxAgeMs ?? 10 * 60_000;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let keys = new Map<string, { alg?: string; pem: string }>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;
  let fetches = 0;

  async function getJson(url: string): Promise<Record<string, unknown>> {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  }

  async function load(): Promise<void> {
    fetches += 1;
    const discovery = await getJson(`${issuer}/.well-known/openid-configuration`);
    if (typeof discovery.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
    const set = await getJson(discovery.jwks_uri);
    const next = new Map<string, { alg?: string; pem: string }>();
    for (const jwk of (Array.isArray(set.keys) ? set.keys : []) as Jwk[]) {
      if (!jwk.kid || (jwk.use && jwk.use !== 'sig')) continue;
      try {
        const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
        next.set(jwk.kid, { alg: jwk.alg, pem });
      } catch {
        // A key this runtime cannot read is skipped; tokens signed with it are refused.
      }
    }
    keys = next;
    fetchedAt = Date.now();
  }

  /** One fetch at a time, and none sooner than minRefetchMs after the last attempt. */
  function refresh(): Promise<void> {
    if (inflight !== undefined) return inflight;
    if (Date.now() - lastAttempt < minRefetchMs) return Promise.resolve();
    lastAttempt = Date.now();
    inflight = load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    /** The PEM public key for a token's `kid`; throws when the provider does not (or no longer) publish it. */
    async publicKey(kid: string | undefined, alg: string | undefined): Promise<string> {
      if (!kid) throw new Error('the token names no key (kid)');
      if (!keys.has(kid) || Date.now() - fetchedAt > maxAgeMs) await refresh().catch(() => {});
      const key = keys.get(kid);
      if (!key) throw new Error('the token is signed with a key the identity provider does not publish');
      if (key.alg && alg && key.alg !== alg) throw new Error('the token names another algorithm than its key');
      return key.pem;
    },
    /** How often the key set was fetched (for tests and metrics). */
    get fetches() {
      return fetches;
    },
  };
}
