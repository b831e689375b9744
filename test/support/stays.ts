import { expect } from 'vitest';
import type { z } from 'zod';
import type { Contact, ContactInput } from '../../schemas/contacts';
import type { CreateStayBody, StayView } from '../../schemas/stays';
import type { Harness } from './api-harness';

/** What POST /api/stays takes. */
export type StayRegistration = z.input<typeof CreateStayBody>;

/**
 * Registers a stay the way its institution does (POST /api/stays), or with the given headers (a bydel, another user),
 * for a test whose subject comes after: fails the test, with the answer's body, unless the stay was created.
 */
export async function registerStay(
  h: Pick<Harness, 'app' | 'auth'>,
  payload: StayRegistration,
  headers: Record<string, string> = h.auth('institution', payload.institutionId),
): Promise<StayView> {
  const res = await h.app.inject({ method: 'POST', url: '/api/stays', headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Replaces a stay's contact persons (PUT /api/stays/:id/contacts) and returns them with their ids, in the order given. */
export async function putContacts(
  h: Pick<Harness, 'app'>,
  stayId: string,
  headers: Record<string, string>,
  contacts: ContactInput[],
): Promise<Contact[]> {
  const res = await h.app.inject({
    method: 'PUT',
    url: `/api/stays/${stayId}/contacts`,
    headers,
    payload: { contacts },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().contacts;
}

/** A command on a stay in a test's set-up (POST): fails the test, with the URL and the answer's body, unless it is accepted (200). */
export async function postAccepted(
  h: Pick<Harness, 'app'>,
  url: string,
  headers: Record<string, string>,
  payload: object,
): Promise<void> {
  const res = await h.app.inject({ method: 'POST', url, headers, payload });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
}
