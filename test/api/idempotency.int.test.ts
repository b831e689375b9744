import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { stayWorkflowId } from '../../workflows/stay/definitions';
import { startApiHarness, type Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';
import { registerStay } from '../support/stays';

/** Idempotency-Key: scoped per user and route, bound to the body, never handed to Temporal as the client sent it. */
const INST = 'inst-idem';
const BYDEL = 'bydel-idem';
const today = () => osloDate(Date.now());

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
});
afterAll(() => h?.close());

const as = (sub: string, role: 'institution' | 'bydel', org: string, key?: string) => ({
  authorization: `Bearer ${h.token(role, org, sub)}`,
  ...(key ? { 'idempotency-key': key } : {}),
});

async function newStay(): Promise<string> {
  const stay = await registerStay(
    h,
    { residentRef: 'R-IDEM', institutionId: INST, bydelId: BYDEL, admittedAt: addOffset(today(), { days: -3 }) },
    as('kari', 'institution', INST),
  );
  return stay.id;
}

const auditActions = async (stayId: string) =>
  (
    await h.pool.query<{ action: string }>('SELECT action FROM audit_events WHERE stay_id = $1 ORDER BY seq', [stayId])
  ).rows.map((r) => r.action);

describe('Idempotency-Key', () => {
  it('applies a retried command once, and refuses the same key with another body (422), changing nothing', async () => {
    const stayId = await newStay();
    const key = `retry-${randomUUID()}`;
    const complete = (doneAt: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/stays/${stayId}/milestones/plan-started`,
        headers: as('kari', 'institution', INST, key),
        payload: { doneAt },
      });
    const first = await complete(today());
    const retry = await complete(today());
    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    expect(retry.json().revision).toBe(first.json().revision);
    const other = await complete(addOffset(today(), { days: -1 }));
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency-key-reused' });
    expect((await auditActions(stayId)).filter((a) => a === 'milestone.completed')).toHaveLength(1);
  });

  it("keeps two users' keys apart: the same key value from another user is a command of its own", async () => {
    const stayId = await newStay();
    const shared = `shared-${randomUUID()}`;
    const byKari = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/plan-started`,
      headers: as('kari', 'institution', INST, shared),
      payload: { doneAt: today() },
    });
    expect(byKari.statusCode).toBe(200);
    // Ola, at the bydel, happens to send the same key with a command of his own on the same stay
    const byOla = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/deviations`,
      headers: as('ola', 'bydel', BYDEL, shared),
      payload: {
        milestone: 'applications',
        dueDate: addOffset(today(), { months: 7 }),
        reason: 'agreed',
        agreedBy: 'both',
        onBehalfOfBoth: true,
      },
    });
    expect(byOla.statusCode, byOla.body).toBe(200);
    const applications = byOla.json().milestones.find((m: { key: string }) => m.key === 'applications');
    expect(applications.deviation).toMatchObject({ dueDate: addOffset(today(), { months: 7 }) });
    expect(await auditActions(stayId)).toEqual(expect.arrayContaining(['milestone.completed', 'deviation.agreed']));
  });

  it('never hands the raw key to Temporal as the update id', async () => {
    const stayId = await newStay();
    const key = `raw-${randomUUID()}`;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/plan-started`,
      headers: as('kari', 'institution', INST, key),
      payload: { doneAt: today() },
    });
    expect(res.statusCode).toBe(200);
    const history = await h.client.workflow.getHandle(stayWorkflowId(stayId)).fetchHistory();
    const updateIds = (history.events ?? []).flatMap((e) => {
      const id = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
      return id ? [id] : [];
    });
    expect(updateIds.length).toBeGreaterThan(0);
    expect(updateIds).not.toContain(key);
    expect(updateIds.some((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
  });
});
