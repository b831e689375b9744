import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { eventually } from '../../support/eventually';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL, NEW_BYDEL);
});
afterAll(() => h?.close());

const INST = 'inst-inbox';
const BYDEL = 'bydel-inbox';
const NEW_BYDEL = 'bydel-inbox-new';
const today = () => osloDate(Date.now());
type Item = {
  id: string;
  milestone: string;
  kind: string;
  level: string;
  state: string;
  recipient: string;
  assignedTo: string | null;
};
const inbox = async (headers: Record<string, string>, query = '') => {
  const res = await h.app.inject({ url: `/api/inbox${query}`, headers });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: Item[]; total: number; counts: Record<string, number> };
};

describe('GET /api/inbox', () => {
  it('shows each organisation what is addressed to it, lets it acknowledge and assign, and resolves on completion', async () => {
    const admittedAt = addOffset(today(), { days: -45 });
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('institution', INST),
      payload: { residentRef: 'R-INBOX', institutionId: INST, bydelId: BYDEL, admittedAt },
    });
    const stay = created.json();
    const q = `?stayId=${stay.id}`;
    // day 45: plan-started (day 14) and the 28-day milestones overdue; plan-started and those 28-day ones... second level after 14 days
    const inst = await eventually(async () => {
      const list = await inbox(h.auth('institution', INST), q);
      expect(list.items.map((i) => `${i.milestone}:${i.level}`).sort()).toEqual([
        'first-meeting:overdue',
        'first-meeting:second-level',
        'housing-mapping:overdue',
        'housing-mapping:second-level',
        'plan-started:overdue',
        'plan-started:second-level',
      ]);
      return list;
    });
    expect(inst.counts).toEqual({ open: 6, acknowledged: 0, resolved: 0 });

    // the bydel sees the second level (addressed to both), not the institution's own overdue items
    const bydel = await inbox(h.auth('bydel', BYDEL), q);
    expect(bydel.items.map((i) => `${i.milestone}:${i.level}:${i.recipient}`).sort()).toEqual([
      'first-meeting:second-level:both',
      'housing-mapping:second-level:both',
      'plan-started:second-level:both',
    ]);
    expect((await inbox(h.auth('bydel', 'bydel-elsewhere'), q)).items).toEqual([]);

    const item = bydel.items.find((i) => i.milestone === 'plan-started')!;
    const outsider = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item.id}/acknowledge`,
      headers: h.auth('bydel', 'bydel-elsewhere'),
    });
    expect(outsider.statusCode).toBe(404);
    const ack = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item.id}/acknowledge`,
      headers: h.auth('bydel', BYDEL),
    });
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'user-bydel' });
    const assigned = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${item.id}/assign`,
      headers: h.auth('bydel', BYDEL),
    });
    expect(assigned.json()).toMatchObject({ assignedTo: 'user-bydel', state: 'acknowledged' });
    expect((await inbox(h.auth('bydel', BYDEL), q)).counts).toEqual({ open: 2, acknowledged: 1, resolved: 0 });

    // completing the milestone resolves every item about it
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stay.id}/milestones/plan-started`,
      headers: h.auth('institution', INST),
      payload: { doneAt: today() },
    });
    expect(done.statusCode).toBe(200);
    const after = await inbox(h.auth('institution', INST), q);
    expect(after.items.map((i) => i.milestone)).not.toContain('plan-started');
    expect(after.counts.resolved).toBe(2);
    const resolved = await inbox(h.auth('institution', INST), `${q}&state=resolved`);
    expect(resolved.items.every((i) => i.milestone === 'plan-started' && i.state === 'resolved')).toBe(true);
    expect((await h.app.inject({ url: '/api/inbox?state=closed', headers: h.auth('bydel', BYDEL) })).statusCode).toBe(
      400,
    );
  });
});

describe('the inbox after a bydel change', () => {
  it("moves what is open to the new bydel, and takes what is settled out of the old bydel's inbox", async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('institution', INST),
      payload: {
        residentRef: 'R-INBOX-2',
        institutionId: INST,
        bydelId: BYDEL,
        admittedAt: addOffset(today(), { days: -45 }),
      },
    });
    const stay = created.json();
    const q = `?stayId=${stay.id}&state=open,acknowledged,resolved`;
    await eventually(async () => expect((await inbox(h.auth('bydel', BYDEL), q)).items).toHaveLength(3));
    // settle plan-started, then hand the stay over
    const done = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stay.id}/milestones/plan-started`,
      headers: h.auth('institution', INST),
      payload: { doneAt: today() },
    });
    expect(done.statusCode).toBe(200);
    const handedOver = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stay.id}/events/bydel-changed`,
      headers: h.auth('bydel', BYDEL),
      payload: { date: today(), bydelId: NEW_BYDEL },
    });
    expect(handedOver.statusCode, handedOver.body).toBe(200);
    const old = await inbox(h.auth('bydel', BYDEL), q);
    expect(old.items).toEqual([]);
    expect(old.counts).toEqual({ open: 0, acknowledged: 0, resolved: 0 });
    expect((await inbox(h.auth('bydel', NEW_BYDEL), q)).items.map((i) => `${i.milestone}:${i.state}`).sort()).toEqual([
      'first-meeting:open',
      'housing-mapping:open',
    ]);
  });
});
