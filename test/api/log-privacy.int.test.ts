import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { loggerOptions } from '../../config/logging';
import { startApiHarness, type Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';
import { registerStay } from '../support/stays';

let h: Harness;
let logs = '';
const sink = new Writable({
  write(chunk, _enc, done) {
    logs += chunk.toString();
    done();
  },
});

beforeAll(async () => {
  // the production logger options (redaction included), at the most verbose level
  h = await startApiHarness({ app: { logger: { ...loggerOptions('trace', 'api'), stream: sink } } });
  await registerOrganisations(h, 'bydel-logs');
});
afterAll(() => h?.close());

describe('logs', () => {
  it('carry identifiers only: no resident reference, no token, no milestone record, even on refusals', async () => {
    const residentRef = `R-PRIVATE-${Date.now()}`;
    const headers = h.auth('institution', 'inst-logs');
    const token = headers.authorization.slice('Bearer '.length);
    const today = osloDate(Date.now());
    const { id } = await registerStay(
      h,
      { residentRef, institutionId: 'inst-logs', bydelId: 'bydel-logs', admittedAt: addOffset(today, { days: -3 }) },
      headers,
    );
    await h.app.inject({
      method: 'POST',
      url: `/api/stays/${id}/milestones/housing-mapping`,
      headers,
      payload: { doneAt: today, needsHelpObtainingHousing: 'SECRET-ANSWER' },
    });
    await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers,
      payload: { residentRef: '01017012345', institutionId: 'inst-logs', bydelId: 'bydel-logs', admittedAt: today },
    });
    await h.app.inject({
      method: 'POST',
      url: `/api/stays/${id}/deviations`,
      headers,
      payload: {
        milestone: 'plan-started',
        dueDate: addOffset(today, { days: 20 }),
        reason: 'PRIVATE-REASON hospital',
        agreedBy: 'both',
      },
    });
    await h.app.inject({ url: `/api/stays/${id}`, headers });
    // a search of the worklist is part of a reference, through the API and in the web app's own address
    const found = await h.app.inject({ url: `/api/stays?search=${residentRef.slice(2)}&sort=resident`, headers });
    expect(found.json().total).toBe(1);
    await h.app.inject({ url: `/opphold?status=all&sok=${residentRef.slice(2)}` });

    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain(id); // identifiers are logged
    for (const secret of [residentRef.slice(2), '01017012345', 'SECRET-ANSWER', 'PRIVATE-REASON', token])
      expect(logs, secret).not.toContain(secret);
  });
});
