import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness({ withWorker: false, requestTimeoutMs: 1_500 });
  await registerOrganisations(h, 'bydel-nw');
});
afterAll(() => h?.close());

describe('without a worker', () => {
  it('bounds a request: registration answers 504 problem+json instead of hanging', async () => {
    const started = Date.now();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('institution', 'inst-nw'),
      payload: { residentRef: 'R-NW', institutionId: 'inst-nw', bydelId: 'bydel-nw', admittedAt: osloDate(Date.now()) },
    });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(res.statusCode).toBe(504);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toMatch(/worker/);
  });

  it('reports itself unhealthy, naming the missing worker', async () => {
    const res = await h.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.worker).toMatch(/no worker/);
  });
});
