import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, 'bydel-admin');
});
afterAll(() => h?.close());

const INST = 'inst-admin';
const today = () => osloDate(Date.now());

async function stayWithACompletion() {
  const stay = await registerStay(h, {
    residentRef: 'R-ADM',
    institutionId: INST,
    bydelId: 'bydel-admin',
    admittedAt: today(),
  });
  await h.app.inject({
    method: 'POST',
    url: `/api/stays/${stay.id}/milestones/plan-started`,
    headers: h.auth('institution', INST),
    payload: { doneAt: today() },
  });
  return stay;
}

describe('administrators', () => {
  it('read the decoded Temporal history of a stay in plain words; nobody else can', async () => {
    const stay = await stayWithACompletion();
    const res = await h.app.inject({ url: `/api/stays/${stay.id}/workflow-history`, headers: h.auth('admin') });
    expect(res.statusCode).toBe(200);
    const summaries = res.json().items.map((e: { summary: string }) => e.summary);
    expect(summaries[0]).toBe(`Stay workflow started: registered with admission ${today()}`);
    expect(summaries).toContainEqual(
      expect.stringMatching(
        /^Update "complete-milestone" accepted for "plan-started" on \d{4}-\d{2}-\d{2} \(by institution inst-admin\)$/,
      ),
    );
    expect(summaries).toContainEqual(
      expect.stringMatching(/^Local activity syncStayReadModel: read model written in the same workflow task$/),
    );
    expect(summaries).toContainEqual(
      expect.stringMatching(/^Version marker started-v6 \(started by the sixth release/),
    );
    expect(summaries).toContainEqual(expect.stringMatching(/^Timer \d+ started: next deadline check at /));
    const accepted = res
      .json()
      .items.find(
        (e: { type: string; summary: string }) =>
          e.type === 'workflow-execution-update-accepted' && e.summary.includes('plan-started'),
      );
    expect(accepted.data).toMatchObject({ key: 'plan-started', doneAt: today() });
    for (const headers of [h.auth('institution', INST), h.auth('bydel', 'bydel-admin')]) {
      expect((await h.app.inject({ url: `/api/stays/${stay.id}/workflow-history`, headers })).statusCode).toBe(403);
      expect((await h.app.inject({ url: `/api/stays/${stay.id}/access-log`, headers })).statusCode).toBe(403);
    }
  });

  it('get a link to the stay in the Temporal Web UI; nobody else can', async () => {
    const stay = await stayWithACompletion();
    const withoutUi = await h.app.inject({ url: `/api/stays/${stay.id}/temporal-link`, headers: h.auth('admin') });
    expect(withoutUi.json()).toEqual({ workflowId: `stay:${stay.id}`, webUiUrl: null });

    const withUi = await startApiHarness({ withWorker: false, app: { temporalUiUrl: 'https://temporal.example.no/' } });
    try {
      const link = await withUi.app.inject({
        url: `/api/stays/${stay.id}/temporal-link`,
        headers: withUi.auth('admin'),
      });
      expect(link.json().webUiUrl).toBe(`https://temporal.example.no/namespaces/default/workflows/stay%3A${stay.id}`);
      const history = await withUi.app.inject({
        url: `/api/stays/${stay.id}/workflow-history`,
        headers: withUi.auth('admin'),
      });
      expect(history.json().webUiUrl).toBe(link.json().webUiUrl);
      expect(
        (
          await withUi.app.inject({
            url: `/api/stays/${stay.id}/temporal-link`,
            headers: withUi.auth('institution', INST),
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await withUi.app.inject({
            url: `/api/stays/${crypto.randomUUID()}/temporal-link`,
            headers: withUi.auth('admin'),
          })
        ).statusCode,
      ).toBe(404);
    } finally {
      await withUi.close();
    }
  });

  it('see every read of a stay, including their own reading of the access log', async () => {
    const stay = await stayWithACompletion();
    await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('institution', INST) });
    await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers: h.auth('bydel', 'bydel-admin') });
    await h.app.inject({ url: `/api/stays/${stay.id}`, headers: h.auth('bydel', 'bydel-elsewhere') }); // 404: not a read
    const first = (await h.app.inject({ url: `/api/stays/${stay.id}/access-log`, headers: h.auth('admin') })).json();
    expect(
      first.items.map(
        (e: { view: string; actor: { role: string; org: string | null } }) =>
          `${e.view}:${e.actor.role}:${e.actor.org}`,
      ),
    ).toEqual([
      'access-log:admin:null',
      'history:bydel:bydel-admin',
      'stay:institution:inst-admin',
      // the stay as the completion and the registration answered with it
      'command:institution:inst-admin',
      'command:institution:inst-admin',
    ]);
    const byUser = (await h.app.inject({ url: '/api/access-log?userId=user-bydel', headers: h.auth('admin') })).json();
    expect(
      byUser.items.some((e: { stayId: string; view: string }) => e.stayId === stay.id && e.view === 'history'),
    ).toBe(true);
  });
});

describe('the audit trail and its export', () => {
  it('filters the history by action prefix and time, with Oslo local time', async () => {
    const stay = await stayWithACompletion();
    const all = (await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers: h.auth('admin') })).json().items;
    expect(all.map((a: { action: string }) => a.action)).toEqual(['stay.registered', 'milestone.completed']);
    expect(all[0].atOslo).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const milestones = (
      await h.app.inject({ url: `/api/stays/${stay.id}/history?action=milestone`, headers: h.auth('admin') })
    ).json().items;
    expect(milestones.map((a: { action: string }) => a.action)).toEqual(['milestone.completed']);
    const future = (
      await h.app.inject({ url: `/api/stays/${stay.id}/history?from=2999-01-01`, headers: h.auth('admin') })
    ).json().items;
    expect(future).toEqual([]);
    expect(
      (await h.app.inject({ url: `/api/stays/${stay.id}/history?from=yesterday`, headers: h.auth('admin') }))
        .statusCode,
    ).toBe(400);
  });

  it('exports one stay as JSON and as a printable page, and logs the export', async () => {
    const stay = await stayWithACompletion();
    const json = await h.app.inject({ url: `/api/stays/${stay.id}/export`, headers: h.auth('admin') });
    expect(json.headers['content-disposition']).toContain(`opphold-${stay.id}.json`);
    expect(json.json()).toMatchObject({
      stay: { id: stay.id, residentRef: 'R-ADM' },
      history: [{ action: 'stay.registered' }, { action: 'milestone.completed' }],
    });
    expect(json.json().workflowHistory[0].summary).toMatch(/^Stay workflow started/);
    const html = await h.app.inject({ url: `/api/stays/${stay.id}/export?format=html`, headers: h.auth('admin') });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<h2>Logg over hendelser</h2>');
    expect(html.body).toContain('milestone.completed');
    const log = (await h.app.inject({ url: `/api/stays/${stay.id}/access-log`, headers: h.auth('admin') })).json()
      .items;
    expect(log.filter((e: { view: string }) => e.view === 'export')).toHaveLength(2);
  });
});
