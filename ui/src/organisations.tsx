// The organisation register (GET /api/organisations), fetched once per signed-in session and kept here, so that
// every page can name an organisation synchronously with orgName(). Pages that must follow changes at once (the
// admin page, forms) read it through useOrganisations(), which re-renders when the register is reloaded.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { Organisation, OrganisationList } from '../../schemas/organisations';
import { api } from './api';
import { useSession } from './session';

export type { Organisation };
type Kind = Organisation['kind'];

let byId = new Map<string, Organisation>();
let all: Organisation[] = [];
const byName = (a: Organisation, b: Organisation) => a.name.localeCompare(b.name, 'nb');

/**
 * The active bydeler, by name: what a stay can be registered for or moved to. A live view of the register (the
 * same array, refilled when the register is loaded), for code that reads it outside a component.
 */
export const BYDELER: Organisation[] = [];

function remember(list: Organisation[]) {
  all = [...list].sort(byName);
  byId = new Map(all.map((o) => [o.id, o]));
  BYDELER.splice(0, BYDELER.length, ...all.filter((o) => o.kind === 'bydel' && o.active));
}

/** The name of a registered organisation, else its id as stored. */
export const orgName = (id: string | null | undefined): string => (id ? (byId.get(id)?.name ?? id) : '–');

/** Organisations of a kind, by name; active ones only unless told otherwise (filters over old stays want all). */
export const organisationsOf = (kind: Kind, opts: { includeInactive?: boolean } = {}): Organisation[] =>
  all.filter((o) => o.kind === kind && (opts.includeInactive || o.active));

/** As choices for a select. */
export const orgOptions = (orgs: Organisation[]) =>
  orgs.map((o) => ({ value: o.id, label: o.active ? o.name : `${o.name} (deaktivert)` }));

type Register = {
  organisations: Organisation[];
  /** Loaded (or failed: names then fall back to ids) for the signed-in user. */
  ready: boolean;
  failed: boolean;
  reload(): Promise<void>;
  ofKind(kind: Kind, opts?: { includeInactive?: boolean }): Organisation[];
};

const RegisterContext = createContext<Register>({
  organisations: [],
  ready: false,
  failed: false,
  reload: async () => {},
  ofKind: () => [],
});

export function OrganisationsProvider({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const [state, setState] = useState<{ list: Organisation[]; ready: boolean; failed: boolean }>({
    list: [],
    ready: false,
    failed: false,
  });
  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const { items } = await api<OrganisationList>('/api/organisations', { signal });
      remember(items);
      setState({ list: all, ready: true, failed: false });
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setState((s) => ({ ...s, ready: true, failed: true }));
    }
  }, []);
  const sessionKey = user ? `${user.sub}|${user.role}|${user.org ?? ''}` : null;
  // a layout effect: pages show their rows once the names are here, so the request leaves before the first paint
  useLayoutEffect(() => {
    if (!sessionKey) {
      remember([]);
      setState({ list: [], ready: false, failed: false });
      return;
    }
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [sessionKey, load]);
  const value = useMemo<Register>(
    () => ({
      organisations: state.list,
      ready: state.ready,
      failed: state.failed,
      reload: () => load(),
      ofKind: (kind, opts) => state.list.filter((o) => o.kind === kind && (opts?.includeInactive || o.active)),
    }),
    [state, load],
  );
  return <RegisterContext.Provider value={value}>{children}</RegisterContext.Provider>;
}

export const useOrganisations = () => useContext(RegisterContext);

/** The development login's list (GET /api/dev/organisations: active organisations, no token needed). */
export function useDevLoginOrganisations(enabled: boolean | null): Organisation[] {
  const [list, setList] = useState<Organisation[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    api<OrganisationList>('/api/dev/organisations', { signal: controller.signal })
      .then(({ items }) => setList([...items].sort(byName)))
      .catch(() => setList([]));
    return () => controller.abort();
  }, [enabled]);
  return list;
}
