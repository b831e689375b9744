import type { AuditEntry, MilestoneView, StaySummary, StayView } from '../../schemas/stays';

// The API's own zod schemas, as types: a renamed or retyped field fails `tsc -p ui`.
export type Stay = StayView;
export type Milestone = MilestoneView;
export type { AuditEntry, StaySummary };

import { ApiError, type Problem } from './api-error';
import type { Page } from '../../schemas/paging';

export { ApiError, type Problem };

const TOKEN_KEY = 'stays.token';
let onUnauthorized: () => void = () => {};

export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
  onUnauthorized(fn: () => void) {
    onUnauthorized = fn;
  },
};

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  const token = tokenStore.get();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({
      status: 0,
      title: 'Network',
      detail: 'Fikk ikke kontakt med tjenesten. Sjekk nettverket og prøv igjen.',
    });
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  let problem: Problem;
  try {
    problem = (await response.json()) as Problem;
  } catch {
    problem = { status: response.status, title: response.statusText, detail: '' };
  }
  problem.status = response.status;
  if (response.status === 401 && path !== '/api/dev/login') onUnauthorized();
  throw new ApiError(problem);
}

/** Every page of a list (the API pages at most 200 at a time): the first page says how many, the rest in parallel. */
export async function fetchAll<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const PAGE = 200;
  const sep = path.includes('?') ? '&' : '?';
  const pageAt = (offset: number) => api<Page<T>>(`${path}${sep}limit=${PAGE}&offset=${offset}`, { signal });
  const first = await pageAt(0);
  const offsets: number[] = [];
  for (let offset = PAGE; offset < first.total; offset += PAGE) offsets.push(offset);
  const rest = await Promise.all(offsets.map(pageAt));
  return [first, ...rest].flatMap((p) => p.items);
}
