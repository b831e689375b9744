import { PktAlert, PktButton } from '@oslokommune/punkt-react';
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { PageTitle } from '../layout';
import {
  authorizationUrl,
  completeLogin,
  fetchAuthConfig,
  LOGIN_ERROR_TEXT,
  LoginError,
  whoAmI,
  type AuthConfig,
  type OidcClientConfig,
} from '../oidc';
import { useSession } from '../session';
import { DevLoginPage, homeOf } from './dev-login';

/** What the login page is told when it is navigated to: where to go afterwards, or why the last attempt failed. */
type LoginState = { from?: string; error?: string } | null;

let configRequest: Promise<AuthConfig> | null = null;
/** Asked once per page load: the mode cannot change without a restart of the API. */
const authConfig = () =>
  (configRequest ??= fetchAuthConfig().catch((err: unknown) => {
    configRequest = null;
    throw err;
  }));

/** /logg-inn: the municipality's login (OIDC) or, in the development setup only, the development login. */
export function LoginPage() {
  const [config, setConfig] = useState<AuthConfig | 'failed' | null>(null);
  const { notice } = useSession();
  useEffect(() => {
    authConfig().then(setConfig, () => setConfig('failed'));
  }, []);

  if (config === null) return <p aria-live="polite">Laster …</p>;
  if (config === 'failed' || config.mode === 'none') {
    return (
      <div className="narrow">
        <PageTitle>Logg inn</PageTitle>
        <PktAlert skin="error" role="alert" className="block">
          {config === 'failed'
            ? 'Tjenesten svarer ikke akkurat nå. Last siden på nytt om litt.'
            : 'Innlogging er ikke satt opp for denne installasjonen. Kontakt en administrator.'}
        </PktAlert>
      </div>
    );
  }
  if (config.mode === 'dev') {
    return (
      <>
        {notice && (
          <PktAlert skin="info" className="block narrow" role="status">
            {notice}
          </PktAlert>
        )}
        <DevLoginPage />
      </>
    );
  }
  return <OidcLogin config={config.oidc!} />;
}

function OidcLogin({ config }: { config: OidcClientConfig }) {
  const location = useLocation();
  const state = location.state as LoginState;
  const { notice } = useSession();
  const [error, setError] = useState<string | null>(state?.error ?? null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      window.location.assign(await authorizationUrl(config, state?.from ?? null));
    } catch (err) {
      setError(LOGIN_ERROR_TEXT[err instanceof LoginError ? err.kind : 'provider-unavailable']);
      setBusy(false);
    }
  }

  // Sent here from a page that needs a login, with nothing to report: straight on to the provider.
  const automatic = !!state?.from && !state.error && !notice;
  // biome-ignore lint/correctness/useExhaustiveDependencies: start() is this page's one way to the provider; it runs once on arrival (the ref), never again because start changed.
  useEffect(() => {
    if (automatic && !started.current) {
      started.current = true;
      void start();
    }
  }, [automatic]);

  return (
    <div className="narrow stack">
      <PageTitle>Logg inn</PageTitle>
      {error && (
        <PktAlert skin="error" title="Innloggingen mislyktes" role="alert">
          <p>{error}</p>
        </PktAlert>
      )}
      {!error && notice && (
        <PktAlert skin="info" role="status">
          {notice}
        </PktAlert>
      )}
      <p>Du logger inn med brukeren din i Oslo kommune. Tilgangen din (rolle og organisasjon) kommer derfra.</p>
      <div className="form-actions">
        <PktButton type="button" skin="primary" disabled={busy} onClick={() => void start()}>
          {error ? 'Prøv igjen' : 'Logg inn med Oslo kommune'}
        </PktButton>
      </div>
      {busy && <p aria-live="polite">Sender deg til Oslo kommunes innlogging …</p>}
    </div>
  );
}

/** One exchange per callback URL, also when React runs the effect twice (StrictMode in development). */
let callbackRun: { search: string; result: ReturnType<typeof finishLogin> } | null = null;

async function finishLogin(search: string) {
  const { accessToken, session, from } = await completeLogin(new URLSearchParams(search));
  const me = await whoAmI(accessToken);
  return { accessToken, session, from, me };
}

/** /logg-inn/callback: where the provider sends the browser back with a code (or an error). */
export function LoginCallbackPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { login } = useSession();

  useEffect(() => {
    if (callbackRun?.search !== location.search)
      callbackRun = { search: location.search, result: finishLogin(location.search) };
    let current = true;
    callbackRun.result.then(
      ({ accessToken, session, from, me }) => {
        if (!current) return;
        login(accessToken, session);
        navigate(from ?? homeOf(me.role), { replace: true });
      },
      (err: unknown) => {
        if (!current) return;
        const text =
          err instanceof LoginError
            ? LOGIN_ERROR_TEXT[err.kind] + (err.code && err.kind === 'provider-error' ? ` (feilkode: ${err.code})` : '')
            : LOGIN_ERROR_TEXT.token;
        // the code and state leave the address bar; the login page says what went wrong and offers to try again
        navigate('/logg-inn', { replace: true, state: { error: text } satisfies LoginState });
      },
    );
    return () => {
      current = false;
    };
  }, [location.search, login, navigate]);

  return (
    <div className="narrow">
      <PageTitle>Logger inn …</PageTitle>
      <p aria-live="polite">Fullfører innloggingen hos Oslo kommune …</p>
    </div>
  );
}
