import type { Harness } from './api-harness';

type Wanted = { id: string; kind?: 'bydel' | 'institution'; name?: string };

/**
 * Registers organisations a test's stays name, the way an administrator does (POST /api/organisations). Test files
 * share one database, so an id another file (or an earlier run of this one) registered is fine as it is.
 */
export async function registerOrganisations(
  h: Pick<Harness, 'app' | 'auth'>,
  ...orgs: (string | Wanted)[]
): Promise<void> {
  for (const org of orgs) {
    const { id, kind = 'bydel', name = `Test ${id}` } = typeof org === 'string' ? { id: org } : org;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: h.auth('admin'),
      payload: { id, kind, name },
    });
    if (res.statusCode === 201) continue;
    if (res.statusCode === 409 && res.json().existing?.id === id && res.json().existing?.kind === kind) continue;
    throw new Error(`registering ${kind} ${id}: ${res.statusCode} ${res.body}`);
  }
}
