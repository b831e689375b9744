import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { tokenStore } from './api';

export type Role = 'institution' | 'bydel' | 'admin';
export type User = { sub: string; role: Role; org: string | null; exp?: number };

function decode(token: string | null): User | null {
  if (!token) return null;
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Partial<User>;
    if (!payload.sub || !payload.role) return null;
    if (payload.exp && payload.exp * 1000 < Date.now()) return null;
    return { sub: payload.sub, role: payload.role, org: payload.org ?? null, exp: payload.exp };
  } catch {
    return null;
  }
}

type Session = { user: User | null; login(token: string): void; logout(): void };

const SessionContext = createContext<Session>({ user: null, login() {}, logout() {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => decode(tokenStore.get()));
  const login = useCallback((token: string) => {
    tokenStore.set(token);
    setUser(decode(token));
  }, []);
  const logout = useCallback(() => {
    tokenStore.clear();
    setUser(null);
  }, []);
  useEffect(() => tokenStore.onUnauthorized(logout), [logout]);
  const value = useMemo(() => ({ user, login, logout }), [user, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);
