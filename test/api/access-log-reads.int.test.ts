import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { eventually } from '../support/eventually';
import { startApiHarness, type Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';

/** Every read is in the access log (Normen): one row per stay an answer shows, lists and commands included. */
const INST = `inst-reads-${Date.now()}`;
const BYDEL = 'bydel-reads';
const today = () => osloDate(Date.now());

let h: Harness;
let stays: string[];
/** The request ids of the registrations, whose answers show the new stay. */
let registrations: string[];
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  stays = [];
  registrations = [];
  for (const days of [50, 3]) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('institution', INST),
      payload: {
        residentRef: 'R-READS',
        institutionId: INST,
        bydelId: BYDEL,
        admittedAt: addOffset(today(), { days: -days }),
      },
    });
    expect(res.statusCode).toBe(201);
    stays.push(res.json().id);
    registrations.push(res.headers['x-request-id'] as string);
  }
});
afterAll(() => h?.close());

const rowsOf = async (requestId: string) =>
  (
    await h.pool.query<{ stay_id: string; view: string; actor_org: string }>(
      'SELECT stay_id, view, actor_org FROM access_log WHERE request_id = $1 ORDER BY stay_id',
      [requestId],
    )
  ).rows;

describe('access log of every read', () => {
  it('logs the stay a registration answers with, once', async () => {
    for (const [i, requestId] of registrations.entries())
      expect(await rowsOf(requestId)).toEqual([{ stay_id: stays[i], view: 'command', actor_org: INST }]);
  });

  it('logs each stay of a list read (worklist), once, before the answer is sent', async () => {
    const res = await h.app.inject({ url: `/api/stays?institutionId=${INST}`, headers: h.auth('institution', INST) });
    expect(res.json().items).toHaveLength(2);
    const rows = await rowsOf(res.headers['x-request-id'] as string);
    expect(rows).toEqual([...stays].sort().map((stay_id) => ({ stay_id, view: 'list', actor_org: INST })));
  });

  it('logs the stays an inbox read shows', async () => {
    const items = await eventually(async () => {
      const res = await h.app.inject({ url: `/api/inbox?stayId=${stays[0]}`, headers: h.auth('institution', INST) });
      expect(res.json().items.length).toBeGreaterThan(0);
      return res;
    });
    expect(await rowsOf(items.headers['x-request-id'] as string)).toEqual([
      { stay_id: stays[0], view: 'list', actor_org: INST },
    ]);
  });

  it('logs the stay a command answers with, and a detail read once (by its own view)', async () => {
    const command = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stays[1]}/milestones/plan-started`,
      headers: h.auth('institution', INST),
      payload: { doneAt: today() },
    });
    expect(command.statusCode).toBe(200);
    expect(await rowsOf(command.headers['x-request-id'] as string)).toEqual([
      { stay_id: stays[1], view: 'command', actor_org: INST },
    ]);
    const detail = await h.app.inject({ url: `/api/stays/${stays[1]}`, headers: h.auth('bydel', BYDEL) });
    expect(await rowsOf(detail.headers['x-request-id'] as string)).toEqual([
      { stay_id: stays[1], view: 'stay', actor_org: BYDEL },
    ]);
  });

  it('logs nothing for a refused read', async () => {
    const refused = await h.app.inject({ url: `/api/stays/${stays[0]}`, headers: h.auth('institution', 'inst-other') });
    expect(refused.statusCode).toBe(404);
    expect(await rowsOf(refused.headers['x-request-id'] as string)).toEqual([]);
  });
});
