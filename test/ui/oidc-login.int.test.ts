import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../stack/free-port';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { startWebAppStack, type WebAppStack } from './web-app-stack';

/**
 * Production login in the web app: authorization code + PKCE against a real OpenID provider (oidc-provider),
 * the API verifying the provider's RS256 access tokens. The tests run in order and share one browser (and so the
 * provider's session cookie): log in, state refused, renewal, expiry, logout, a user without a role, cancel.
 */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-oidc-${run}`;
const CLIENT_ID = 'stays-web';
const AUDIENCE = 'urn:oslo:stay-transition';
/** Short-lived access tokens, so renewal and expiry happen within the test (renewed 5 s before expiry). */
const ACCESS_TOKEN_TTL_S = 12;

let op: TestOidcProvider;
let base: string;
let browser: WebAppStack['browser'];
let stack: WebAppStack;
let page: Page;

const checkAxe = (p: Page, name: string) => stack.checkAxe(p, name);

/** The tab's sessionStorage entry (string expressions: the tests compile without the DOM's types). */
const stored = (p: Page, key: string) => p.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(key)})`);
const storedToken = (p: Page) => stored(p, 'stays.token');
const claimsOf = (jwt: string, part = 1) =>
  JSON.parse(Buffer.from(jwt.split('.')[part]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** On the provider's development login form: any password works, the login name is the account. */
async function providerLogin(p: Page, login: string) {
  await p.waitForURL((url) => url.origin === op.issuer);
  await p.locator('input[name=login]').fill(login);
  await p.locator('input[name=password]').fill('whatever');
  await p.getByRole('button', { name: 'Sign-in' }).click();
}

beforeAll(async () => {
  const opPort = await getFreePort();
  const issuer = `http://127.0.0.1:${opPort}`;
  stack = await startWebAppStack({
    withWorker: false,
    app: { oidc: { issuer, audience: AUDIENCE, clientId: CLIENT_ID, scope: 'openid', audienceParam: 'resource' } },
  });
  ({ base, browser } = stack);
  op = await startOidcProvider({
    port: opPort,
    appOrigin: base,
    clientId: CLIENT_ID,
    audience: AUDIENCE,
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL_S,
    accounts: { kari: { role: 'institution', org: INST }, ola: {} },
  });
  // the provider's development pages import a web font; there is no internet here
  await browser.context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
  page = await browser.context.newPage();
});

afterAll(async () => {
  await op?.close();
  await stack?.close();
});

describe('production login (OIDC, authorization code + PKCE)', () => {
  it('tells the web app to log in with the provider, offers no development login, and lets the browser reach the provider (CSP)', async () => {
    const config = await (await fetch(`${base}/api/auth/config`)).json();
    expect(config).toEqual({
      mode: 'oidc',
      oidc: { issuer: op.issuer, clientId: CLIENT_ID, scope: 'openid', audience: AUDIENCE, audienceParam: 'resource' },
    });
    expect((await fetch(`${base}/api/dev/login`)).status).toBe(404);
    const devLogin = await fetch(`${base}/api/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin' }),
    });
    expect(devLogin.status).toBe(404);
    const csp = (await fetch(`${base}/logg-inn`)).headers.get('content-security-policy')!;
    expect(csp).toContain(`connect-src 'self' ${op.issuer}`);
    expect(csp).toContain("form-action 'self'");
  });

  it('a page that needs a login sends the browser to the provider; back with a PKCE-bound code, the app has an access token the API accepts', async () => {
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url() === `${op.issuer}/token`) tokenRequests.push(request.postData() ?? '');
    });
    await page.goto(`${base}/opphold`);
    await providerLogin(page, 'kari');
    await page.waitForURL(`${base}/opphold`);
    await page.getByRole('heading', { name: 'Mine opphold' }).waitFor();

    const authorize = op.authorizationRequests.at(-1)!;
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.get('redirect_uri')).toBe(`${base}/logg-inn/callback`);
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('resource')).toBe(AUDIENCE);
    const exchange = new URLSearchParams(tokenRequests[0]);
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(exchange.has('client_secret')).toBe(false);
    expect(op.grants).toEqual(['authorization_code']);

    const token = (await storedToken(page))!;
    expect(claimsOf(token, 0).alg).toBe('RS256');
    expect(claimsOf(token)).toMatchObject({
      iss: op.issuer,
      aud: AUDIENCE,
      sub: 'kari',
      role: 'institution',
      org: INST,
    });
    // the code and state are gone from the address bar and from the tab's storage
    expect(await stored(page, 'stays.oidc.pending')).toBeNull();
    const api = await fetch(`${base}/api/stays?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    expect(
      await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json(),
    ).toEqual({ sub: 'kari', role: 'institution', org: INST });
    await checkAxe(page, 'oidc-01-mine-opphold');
  });

  it("/logg-inn offers the municipality's login, not the development form", async () => {
    const other = await browser.context.newPage();
    await other.goto(`${base}/logg-inn`);
    await other.getByRole('heading', { name: 'Logg inn', exact: true }).waitFor();
    await other.getByRole('button', { name: 'Logg inn med Oslo kommune' }).waitFor();
    expect(await other.getByText('Logg inn (utvikling)').count()).toBe(0);
    expect(await other.getByLabel('Ansatt ved institusjon').count()).toBe(0);
    await checkAxe(other, 'oidc-02-logg-inn');
    await other.close();
  });

  it('refuses a callback whose state is not the one this tab sent, in Norwegian, with a way to try again', async () => {
    const other = await browser.context.newPage();
    await other.goto(`${base}/logg-inn/callback?code=stolen-code&state=not-the-state`);
    await other.waitForURL(`${base}/logg-inn`);
    const alert = other.getByRole('alert');
    await alert.getByText('Vi kunne ikke bekrefte at svaret fra innloggingen hører til denne innloggingen').waitFor();
    await other.getByRole('button', { name: 'Prøv igjen' }).waitFor();
    expect(await storedToken(other)).toBeNull();
    // the stolen code was never exchanged: one code grant (the login), whatever renewals a slow machine has done since
    expect(op.grants.filter((g) => g === 'authorization_code')).toHaveLength(1);
    await checkAxe(other, 'oidc-03-feil-state');
    await other.close();
  });

  it('renews the access token with the refresh token before it expires', async () => {
    const first = (await storedToken(page))!;
    const grantsBefore = op.grants.length;
    const deadline = Date.now() + ACCESS_TOKEN_TTL_S * 1000 + 10_000;
    while ((await storedToken(page)) === first && Date.now() < deadline) await page.waitForTimeout(500);
    const renewed = (await storedToken(page))!;
    expect(renewed).not.toBe(first);
    // renewed with the refresh token, never with a new login (on a loaded machine a renewal may already have happened)
    expect(op.grants.slice(grantsBefore)).toContain('refresh_token');
    expect(op.grants.slice(1).every((g) => g === 'refresh_token')).toBe(true);
    expect(claimsOf(renewed)).toMatchObject({ sub: 'kari', role: 'institution', org: INST, aud: AUDIENCE });
    // still in, and the API takes the new token
    await page.getByRole('link', { name: 'Registrer opphold' }).first().click();
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
    expect((await fetch(`${base}/api/stays?limit=1`, { headers: { authorization: `Bearer ${renewed}` } })).status).toBe(
      200,
    );
  });

  it('without a refresh token the session ends at expiry: back to the login page with "Økten er utløpt – logg inn igjen"', async () => {
    const session = JSON.parse((await stored(page, 'stays.oidc.session'))!);
    delete session.refreshToken;
    await page.evaluate(`sessionStorage.setItem('stays.oidc.session', ${JSON.stringify(JSON.stringify(session))})`);
    await page.waitForURL(`${base}/logg-inn`, { timeout: (ACCESS_TOKEN_TTL_S + 10) * 1000 });
    await page.getByText('Økten er utløpt – logg inn igjen').waitFor();
    expect(await storedToken(page)).toBeNull();
    await checkAxe(page, 'oidc-04-okten-er-utlopt');
    // logging in again (the provider still knows the person) returns to where they were
    await page.getByRole('button', { name: 'Logg inn med Oslo kommune' }).click();
    await page.waitForURL(`${base}/opphold/ny`);
    await page.getByRole('heading', { name: 'Registrer opphold' }).waitFor();
  });

  it('logout ends the session here and at the provider', async () => {
    const idToken = JSON.parse((await stored(page, 'stays.oidc.session'))!).idToken as string;
    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.waitForURL((url) => url.origin === op.issuer);
    const endSession = new URL(page.url());
    expect(endSession.pathname).toBe('/session/end');
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/logg-inn`);
    expect(endSession.searchParams.get('id_token_hint')).toBe(idToken);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${base}/logg-inn`);
    await page.getByText('Du er logget ut.').waitFor();
    expect(await storedToken(page)).toBeNull();
    expect(await stored(page, 'stays.oidc.session')).toBeNull();
    // the provider asks for a login again
    await page.goto(`${base}/opphold`);
    await page.waitForURL((url) => url.origin === op.issuer);
    await page.locator('input[name=login]').waitFor();
  });

  it('a person the provider knows but who has no role or organisation is told so on the login page', async () => {
    await providerLogin(page, 'ola');
    await page.waitForURL(`${base}/logg-inn`);
    await page
      .getByRole('alert')
      .getByText('brukeren din har ikke tilgang til denne tjenesten: den mangler rolle eller organisasjon')
      .waitFor();
    await page.getByRole('button', { name: 'Prøv igjen' }).waitFor();
    expect(await storedToken(page)).toBeNull();
    await checkAxe(page, 'oidc-05-mangler-rolle');
  });

  it('cancelling at the provider (error=access_denied) is reported in Norwegian', async () => {
    // end ola's session at the provider, then cancel the next login there
    const other = await browser.context.newPage();
    await other.goto(`${op.issuer}/session/end`);
    await other.getByRole('button', { name: 'Yes, sign me out' }).click();
    await other.waitForLoadState();
    await other.close();
    await page.getByRole('button', { name: 'Prøv igjen' }).click();
    await page.waitForURL((url) => url.origin === op.issuer);
    await page.getByRole('link', { name: /Cancel/ }).click();
    await page.waitForURL(`${base}/logg-inn`);
    await page.getByRole('alert').getByText('Innloggingen ble avbrutt').waitFor();
    await checkAxe(page, 'oidc-06-avbrutt');
  });
});
