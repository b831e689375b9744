import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { tokenStore } from './api';
import { endSessionUrl, oidcSessionStore, renew, SESSION_EXPIRED_TEXT, type OidcSession } from './oidc';
import { jwtClaims } from './pkce';
import type { Me } from '../../schemas/auth';

/** The caller as the API sees them, plus the name and e-mail address in their login and the token's lifetime. */
export type User = Me & { name?: string; email?: string; exp?: number; iat?: number };
export type Role = Me['role'];

/** The user a token is for, or null when it is missing, unreadable or expired. */
function decode(token: string | null): User | null {
  if (!token) return null;
  const payload = jwtClaims(token) as Partial<User> | null;
  if (!payload?.sub || !payload.role) return null;
  if (payload.exp && payload.exp * 1000 < Date.now()) return null;
  return {
    sub: payload.sub,
    role: payload.role,
    org: payload.org ?? null,
    ...(payload.name ? { name: payload.name } : {}),
    ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
    exp: payload.exp,
    iat: payload.iat,
  };
}

/** Shown once on the login page after the provider's logout brought the browser back. */
const LOGGED_OUT_KEY = 'stays.loggedOut';

type Session = {
  user: User | null;
  /** Logged in with this access token; `oidc`: the provider's session (renewal, logout) when it came from there. */
  login(token: string, oidc?: OidcSession): void;
  /** Ends the session here and, when the provider offers it, there too (the browser then leaves the app). */
  logout(): void;
  /** Why the login page is shown (session expired, logged out), in Norwegian; null when there is nothing to say. */
  notice: string | null;
  clearNotice(): void;
};

const SessionContext = createContext<Session>({ user: null, login() {}, logout() {}, notice: null, clearNotice() {} });

/** Seconds before expiry to renew: a quarter of the token's lifetime, between 5 s and 60 s. */
const renewMarginMs = (user: User) => {
  const lifetime = user.exp && user.iat ? (user.exp - user.iat) * 1000 : 300_000;
  return Math.min(60_000, Math.max(5_000, lifetime / 4));
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => decode(tokenStore.get()));
  // an expired access token with a refresh token at start (e.g. after a reload): renew before showing anything
  const [renewing, setRenewing] = useState(() => !user && !!tokenStore.get() && !!oidcSessionStore.get()?.refreshToken);
  const [notice, setNotice] = useState<string | null>(() => {
    if (!sessionStorage.getItem(LOGGED_OUT_KEY)) return null;
    sessionStorage.removeItem(LOGGED_OUT_KEY);
    return 'Du er logget ut.';
  });

  const login = useCallback((token: string, oidc?: OidcSession) => {
    tokenStore.set(token);
    if (oidc) oidcSessionStore.set(oidc);
    else oidcSessionStore.clear();
    setNotice(null);
    setUser(decode(token));
  }, []);

  const end = useCallback(() => {
    tokenStore.clear();
    oidcSessionStore.clear();
    setUser(null);
  }, []);

  /** The session ended by itself (expired, or the API no longer accepts the token): back to login, saying so. */
  const expire = useCallback(() => {
    end();
    setNotice(SESSION_EXPIRED_TEXT);
  }, [end]);

  const logout = useCallback(() => {
    const providerLogout = (() => {
      const oidc = oidcSessionStore.get();
      return oidc ? endSessionUrl(oidc) : null;
    })();
    end();
    if (providerLogout) {
      sessionStorage.setItem(LOGGED_OUT_KEY, '1');
      // after the caller's own navigation (to the login page) has happened, so this one is the last and wins
      setTimeout(() => window.location.assign(providerLogout), 0);
    } else {
      setNotice('Du er logget ut.');
    }
  }, [end]);

  const renewNow = useCallback(async () => {
    const oidc = oidcSessionStore.get();
    if (!oidc?.refreshToken) return expire();
    try {
      const renewed = await renew(oidc);
      const next = decode(renewed.accessToken);
      if (!next) return expire();
      tokenStore.set(renewed.accessToken);
      oidcSessionStore.set(renewed.session);
      setUser(next);
    } catch {
      expire();
    }
  }, [expire]);

  useEffect(() => {
    if (!renewing) return;
    void renewNow().finally(() => setRenewing(false));
  }, [renewing, renewNow]);

  // Renew shortly before the access token expires when there is a refresh token; else end the session at expiry.
  useEffect(() => {
    if (!user?.exp) return;
    const left = user.exp * 1000 - Date.now();
    const canRenew = !!oidcSessionStore.get()?.refreshToken;
    const timer = setTimeout(
      () => void (canRenew ? renewNow() : expire()),
      Math.min(2 ** 31 - 1, Math.max(0, canRenew ? left - renewMarginMs(user) : left)),
    );
    return () => clearTimeout(timer);
  }, [user, renewNow, expire]);

  useEffect(() => tokenStore.onUnauthorized(expire), [expire]);
  const clearNotice = useCallback(() => setNotice(null), []);
  const value = useMemo(
    () => ({ user, login, logout, notice, clearNotice }),
    [user, login, logout, notice, clearNotice],
  );
  return (
    <SessionContext.Provider value={value}>
      {renewing ? <p aria-live="polite">Fornyer innloggingen …</p> : children}
    </SessionContext.Provider>
  );
}

export const useSession = () => useContext(SessionContext);
