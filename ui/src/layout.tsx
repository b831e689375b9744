import { PktButton } from '@oslokommune/punkt-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, useLocation, useNavigate, useNavigationType } from 'react-router-dom';
import { api } from './api';
import { orgName, useOrganisations } from './organisations';
import { useSession } from './session';
import { ROLE } from './texts';

/**
 * Navigation state for a change within the page (a filter, a search as it is typed, another page of a list): the
 * page keeps the focus where the person is, instead of PageTitle moving it to the heading.
 */
export const KEEP_FOCUS = { keepFocus: true } as const;

/** Sets the tab title and, after a navigation inside the app, moves focus to the page heading (screen readers). */
export function PageTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  const navigationType = useNavigationType();
  const keepFocus = navigationType !== 'POP' && (location.state as { keepFocus?: boolean } | null)?.keepFocus;
  useEffect(() => {
    document.title = `${children} – Fra institusjon til egen bolig`;
  }, [children]);
  useEffect(() => {
    if (location.key !== 'default' && !keepFocus) ref.current?.focus({ preventScroll: false });
  }, [location.key, keepFocus]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}

const INBOX_CHANGED = 'stays:inbox-changed';

/** Tells the navigation to fetch the inbox count again (after an acknowledge, a completion, …). */
export const notifyInboxChanged = () => window.dispatchEvent(new Event(INBOX_CHANGED));

/** Open items in the caller's inbox, for the navigation; refreshed on every navigation and inbox change. */
function useInboxCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const location = useLocation();
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    window.addEventListener(INBOX_CHANGED, bump);
    return () => window.removeEventListener(INBOX_CHANGED, bump);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: location.pathname and tick are the triggers: the count is read again on every navigation and every inbox change.
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api<{ counts: { open: number } }>('/api/inbox?state=open&limit=1', { signal: controller.signal })
      .then((page) => setCount(page.counts.open))
      .catch(() => {});
    return () => controller.abort();
  }, [enabled, location.pathname, tick]);
  return count;
}

export function Layout({ children }: { children: ReactNode }) {
  useOrganisations(); // names organisations: re-render when the register arrives (it loads beside the page, not before it)
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const inboxCount = useInboxCount(!!user);
  const link = ({ isActive }: { isActive: boolean }) => `nav-link${isActive ? ' nav-link--active' : ''}`;
  return (
    <>
      <a className="skip-link" href="#hovedinnhold">
        Hopp til hovedinnholdet
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <a href="/" className="app-header__brand" aria-label="Fra institusjon til egen bolig, startside">
            <img src="/punkt/logos/oslologo.svg" alt="Oslo kommune" height={40} />
            <span className="app-header__service">Fra institusjon til egen bolig</span>
          </a>
          {user && (
            <div className="app-header__user">
              <span>
                {ROLE[user.role]}
                {user.org ? ` · ${orgName(user.org)}` : ''}
              </span>
              <PktButton
                skin="tertiary"
                size="small"
                type="button"
                onClick={() => {
                  logout();
                  navigate('/logg-inn');
                }}
              >
                Logg ut
              </PktButton>
            </div>
          )}
        </div>
        {user && (
          <nav aria-label="Hovedmeny" className="app-nav">
            <ul>
              {user.role === 'bydel' && (
                <li>
                  <NavLink to="/innboks" className={link}>
                    Innboks{inboxCount !== null ? ` (${inboxCount} åpne)` : ''}
                  </NavLink>
                </li>
              )}
              <li>
                <NavLink to="/opphold" end className={link}>
                  {user.role === 'institution'
                    ? 'Mine opphold'
                    : user.role === 'bydel'
                      ? 'Bydelens opphold'
                      : 'Alle opphold'}
                </NavLink>
              </li>
              <li>
                <NavLink to="/opphold/ny" className={link}>
                  Registrer opphold
                </NavLink>
              </li>
              {user.role !== 'bydel' && (
                <li>
                  <NavLink to="/innboks" className={link}>
                    Varsler{inboxCount !== null ? ` (${inboxCount} åpne)` : ''}
                  </NavLink>
                </li>
              )}
              <li>
                <NavLink to="/rapporter" className={link}>
                  Rapporter
                </NavLink>
              </li>
              {user.role === 'admin' && (
                <li>
                  <NavLink to="/admin" end className={link}>
                    Finn opphold
                  </NavLink>
                </li>
              )}
              {user.role === 'admin' && (
                <li>
                  <NavLink to="/admin/organisasjoner" className={link}>
                    Organisasjoner og varsling
                  </NavLink>
                </li>
              )}
            </ul>
          </nav>
        )}
      </header>
      <main id="hovedinnhold" className="app-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="app-footer">
        <p>Oslo kommune · Velferdsetaten og bydelene · Oppfølging etter Fellesskriv 3/2021</p>
      </footer>
    </>
  );
}
