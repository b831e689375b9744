import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';
import { registerStay } from '../support/stays';
import { eventually } from '../support/eventually';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, 'bydel-metrics');
});
afterAll(() => h?.close());

const failures = async () =>
  Number(/^stay_notification_failures_total (\d+)$/m.exec((await h.app.inject({ url: '/metrics' })).body)![1]);

describe('/metrics', () => {
  it('counts notifications that failed for good, from the outbox', async () => {
    const { id: stayId } = await registerStay(h, {
      residentRef: 'R-MET',
      institutionId: 'inst-metrics',
      bydelId: 'bydel-metrics',
      admittedAt: addOffset(osloDate(Date.now()), { days: -20 }),
    });
    const escalationId = await eventually(async () => {
      const { rows } = await h.pool.query('SELECT id FROM escalations WHERE stay_id = $1 LIMIT 1', [stayId]);
      expect(rows).toHaveLength(1);
      return rows[0].id as string;
    });
    const before = await failures();
    await h.pool.query(
      "INSERT INTO notification_outbox (escalation_id, channel, recipient, org_id, status, attempts, last_error) VALUES ($1, 'webhook', 'inst-metrics', 'inst-metrics', 'failed', 5, 'HTTP 500')",
      [escalationId],
    );
    expect(await failures()).toBe(before + 1);
  });
});
