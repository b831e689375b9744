// Login with the municipality's OpenID Connect provider: authorization code flow with PKCE (RFC 7636), the web app
// as a public client (no secret). Everything a login needs between leaving for the provider and coming back lives
// in this tab's sessionStorage, and is removed as soon as the callback reads it.
import type { AuthConfig, Me } from '../../schemas/auth';
import { codeChallengeS256, createCodeVerifier, jwtClaims, randomToken, safeReturnPath } from './pkce';

export type OidcClientConfig = NonNullable<AuthConfig['oidc']>;
export type { AuthConfig, Me };

/** The web app's routes the provider sends people back to; both must be registered for the client at the provider. */
export const CALLBACK_PATH = '/logg-inn/callback';
export const POST_LOGOUT_PATH = '/logg-inn';

/** Why a login failed; the login page says it in Norwegian (LOGIN_ERROR_TEXT). */
export type LoginErrorKind =
  | 'denied'
  | 'state'
  | 'provider-unavailable'
  | 'provider-error'
  | 'token'
  | 'id-token'
  | 'no-access';

export class LoginError extends Error {
  constructor(
    readonly kind: LoginErrorKind,
    /** The provider's error code (`error=`), when it sent one: shown as is, never its free-text description. */
    readonly code?: string,
  ) {
    super(kind);
    this.name = 'LoginError';
  }
}

export const LOGIN_ERROR_TEXT: Record<LoginErrorKind, string> = {
  denied:
    'Innloggingen ble avbrutt, eller du fikk ikke tilgang hos Oslo kommunes innlogging. Prøv igjen, eller kontakt en administrator hvis du mener du skal ha tilgang.',
  state:
    'Vi kunne ikke bekrefte at svaret fra innloggingen hører til denne innloggingen. Det skjer hvis lenken er gammel, eller innloggingen ble startet i en annen fane. Start innloggingen på nytt.',
  'provider-unavailable': 'Vi fikk ikke kontakt med Oslo kommunes innlogging. Sjekk nettverket og prøv igjen om litt.',
  'provider-error': 'Oslo kommunes innlogging svarte med en feil. Prøv igjen om litt.',
  token: 'Vi fikk ikke fullført innloggingen hos Oslo kommunes innlogging. Prøv igjen om litt.',
  'id-token': 'Vi kunne ikke bekrefte hvem du er ut fra svaret fra innloggingen. Start innloggingen på nytt.',
  'no-access':
    'Du er logget inn hos Oslo kommune, men brukeren din har ikke tilgang til denne tjenesten: den mangler rolle eller organisasjon. Kontakt en administrator for å få tilgang.',
};

export const SESSION_EXPIRED_TEXT = 'Økten er utløpt – logg inn igjen';

type Discovery = {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
};

type TokenResponse = {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
};

/** What the callback needs from the login it belongs to. */
type PendingLogin = {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  from: string | null;
  createdAt: number;
  endpoints: Endpoints;
};

/** What renewing and ending the session need after a login. */
type Endpoints = {
  issuer: string;
  clientId: string;
  tokenEndpoint: string;
  endSessionEndpoint?: string;
  audience?: string;
  audienceParam?: 'resource' | 'audience';
};

/** The provider's side of a session in this tab: how to renew the access token and how to log out. */
export type OidcSession = Endpoints & { refreshToken?: string; idToken?: string };

const PENDING_KEY = 'stays.oidc.pending';
const SESSION_KEY = 'stays.oidc.session';
/** A login not completed within this time is refused at the callback. */
const PENDING_MAX_AGE_MS = 15 * 60_000;

const sameIssuer = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

function readJson<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export const oidcSessionStore = {
  get: () => readJson<OidcSession>(SESSION_KEY),
  set: (session: OidcSession) => sessionStorage.setItem(SESSION_KEY, JSON.stringify(session)),
  clear: () => sessionStorage.removeItem(SESSION_KEY),
};

/** How this installation logs in (GET /api/auth/config). */
export async function fetchAuthConfig(): Promise<AuthConfig> {
  const response = await fetch('/api/auth/config', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`auth config: ${response.status}`);
  return (await response.json()) as AuthConfig;
}

async function discover(issuer: string): Promise<Discovery> {
  let doc: Partial<Discovery>;
  try {
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(String(response.status));
    doc = (await response.json()) as Partial<Discovery>;
  } catch {
    throw new LoginError('provider-unavailable');
  }
  // The document must be the configured issuer's own (OpenID Connect Discovery §4.3).
  if (!doc.issuer || !sameIssuer(doc.issuer, issuer) || !doc.authorization_endpoint || !doc.token_endpoint)
    throw new LoginError('provider-error');
  return doc as Discovery;
}

/**
 * Starts a login: PKCE verifier, state and nonce are kept in this tab, and the URL of the provider's authorization
 * endpoint is returned for the browser to go to.
 */
export async function authorizationUrl(config: OidcClientConfig, from: string | null): Promise<string> {
  const discovery = await discover(config.issuer);
  const codeVerifier = createCodeVerifier();
  const pending: PendingLogin = {
    state: randomToken(),
    nonce: randomToken(),
    codeVerifier,
    redirectUri: `${window.location.origin}${CALLBACK_PATH}`,
    from: safeReturnPath(from),
    createdAt: Date.now(),
    endpoints: {
      issuer: config.issuer,
      clientId: config.clientId,
      tokenEndpoint: discovery.token_endpoint,
      endSessionEndpoint: discovery.end_session_endpoint,
      audience: config.audience,
      audienceParam: config.audienceParam,
    },
  };
  const url = new URL(discovery.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: pending.redirectUri,
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallengeS256(codeVerifier),
    code_challenge_method: 'S256',
  };
  if (config.audience && config.audienceParam) params[config.audienceParam] = config.audience;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  return url.toString();
}

async function tokenRequest(endpoints: Endpoints, grant: Record<string, string>): Promise<TokenResponse> {
  const body = new URLSearchParams({ ...grant, client_id: endpoints.clientId });
  // RFC 8707: the token endpoint is told the resource too, so the access token is issued for this API.
  if (endpoints.audience && endpoints.audienceParam === 'resource') body.set('resource', endpoints.audience);
  let response: Response;
  try {
    response = await fetch(endpoints.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      credentials: 'omit',
    });
  } catch {
    throw new LoginError('provider-unavailable');
  }
  if (!response.ok) throw new LoginError('token');
  const tokens = (await response.json().catch(() => null)) as TokenResponse | null;
  if (
    !tokens ||
    typeof tokens.access_token !== 'string' ||
    (tokens.token_type && tokens.token_type.toLowerCase() !== 'bearer')
  )
    throw new LoginError('token');
  return tokens;
}

/** The ID token is read, not verified: it came straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7). */
function checkIdToken(idToken: string, endpoints: Endpoints, nonce: string | null): void {
  const claims = jwtClaims(idToken);
  if (!claims) throw new LoginError('id-token');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const ok =
    typeof claims.iss === 'string' &&
    sameIssuer(claims.iss, endpoints.issuer) &&
    aud.includes(endpoints.clientId) &&
    (aud.length === 1 || claims.azp === endpoints.clientId) &&
    (nonce === null || claims.nonce === nonce);
  if (!ok) throw new LoginError('id-token');
}

/**
 * The provider sent the browser back to the callback: checks state (and the RFC 9207 `iss` when sent), exchanges
 * the code with the PKCE verifier, checks the ID token's nonce. The pending login is used once, whatever happens.
 */
export async function completeLogin(
  params: URLSearchParams,
): Promise<{ accessToken: string; session: OidcSession; from: string | null }> {
  const pending = readJson<PendingLogin>(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const state = params.get('state');
  if (!pending || !state || state !== pending.state || Date.now() - pending.createdAt > PENDING_MAX_AGE_MS)
    throw new LoginError('state');
  const iss = params.get('iss');
  if (iss !== null && !sameIssuer(iss, pending.endpoints.issuer)) throw new LoginError('state');
  const error = params.get('error');
  if (error)
    throw new LoginError(
      error === 'access_denied' ? 'denied' : 'provider-error',
      error.replace(/[^\w.-]/g, '').slice(0, 64),
    );
  const code = params.get('code');
  if (!code) throw new LoginError('provider-error');
  const tokens = await tokenRequest(pending.endpoints, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    code_verifier: pending.codeVerifier,
  });
  if (tokens.id_token) checkIdToken(tokens.id_token, pending.endpoints, pending.nonce);
  return {
    accessToken: tokens.access_token,
    session: { ...pending.endpoints, refreshToken: tokens.refresh_token, idToken: tokens.id_token },
    from: pending.from,
  };
}

/** Who the API takes the token's bearer to be; `no-access` when the API does not accept it (e.g. no role or org). */
export async function whoAmI(accessToken: string): Promise<Me> {
  let response: Response;
  try {
    response = await fetch('/api/auth/me', {
      headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` },
    });
  } catch {
    throw new LoginError('provider-unavailable');
  }
  if (response.status === 401 || response.status === 403) throw new LoginError('no-access');
  if (!response.ok) throw new LoginError('token');
  return (await response.json()) as Me;
}

/** A new access token with the refresh token (rotated when the provider sends a new one). */
export async function renew(session: OidcSession): Promise<{ accessToken: string; session: OidcSession }> {
  if (!session.refreshToken) throw new LoginError('token');
  const tokens = await tokenRequest(session, { grant_type: 'refresh_token', refresh_token: session.refreshToken });
  if (tokens.id_token) checkIdToken(tokens.id_token, session, null);
  return {
    accessToken: tokens.access_token,
    session: {
      ...session,
      refreshToken: tokens.refresh_token ?? session.refreshToken,
      idToken: tokens.id_token ?? session.idToken,
    },
  };
}

/** Where to send the browser to end the session at the provider too (RP-initiated logout), if it offers that. */
export function endSessionUrl(session: OidcSession): string | null {
  if (!session.endSessionEndpoint) return null;
  const url = new URL(session.endSessionEndpoint);
  url.searchParams.set('client_id', session.clientId);
  url.searchParams.set('post_logout_redirect_uri', `${window.location.origin}${POST_LOGOUT_PATH}`);
  if (session.idToken) url.searchParams.set('id_token_hint', session.idToken);
  return url.toString();
}
