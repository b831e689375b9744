import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { putContacts, registerStay } from '../../support/stays';

const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-cal-${run}`;
const OTHER_INST = `inst-cal-other-${run}`;
const BYDEL = 'bydel-cal-a';
const REF = `R-CAL-${run.toUpperCase()}`;
const today = osloDate(Date.now());
const admittedAt = addOffset(today, { months: -5 });
// one meeting in summer time and one in winter time: the TZID carries both right
const summer = `${Number(today.slice(0, 4)) + 1}-06-15T10:00`;
const winter = `${Number(today.slice(0, 4)) + 1}-01-15T14:30`;

let h: Harness;
let stayId: string;
const meetingIds: Record<string, string> = {};

type Parsed = {
  uid: string;
  summary: string;
  start: ICAL.Time;
  end: ICAL.Time | null;
  sequence: number;
  raw: ICAL.Event;
};

/** The calendar as a client reads it, with ical.js. */
function parse(text: string): { calendar: ICAL.Component; events: Parsed[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, start: e.startDate, end: e.endDate, sequence: e.sequence, raw: e };
  });
  return { calendar, events };
}

const asInst = (org = INST) => h.auth('institution', org);
/** Another person (own sub) of another institution. */
const asStranger = () => ({ authorization: `Bearer ${h.token('institution', OTHER_INST, 'someone-else')}` });

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL, { id: INST, kind: 'institution', name: `Kalenderinstitusjonen ${run}` });
  ({ id: stayId } = await registerStay(h, { residentRef: REF, institutionId: INST, bydelId: BYDEL, admittedAt }));
  await putContacts(h, stayId, asInst(), [
    { role: 'primary-contact', name: 'Kari Primær', organisationId: INST, userId: 'user-institution' },
  ]);
  for (const [name, body] of Object.entries({
    summer: { milestone: 'housing-meeting', plannedAt: summer, place: 'Møterom 1' },
    winter: { milestone: 'cooperation-meeting', plannedAt: winter, videoLink: 'https://video.example.no/rom/1' },
    cancelled: { milestone: 'cooperation-meeting', plannedAt: `${addOffset(today, { days: 9 })}T09:00` },
  })) {
    const planned = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/meetings`,
      headers: asInst(),
      payload: body,
    });
    meetingIds[name] = planned.json().id;
  }
  await h.app.inject({
    method: 'PATCH',
    url: `/api/stays/${stayId}/meetings/${meetingIds.cancelled}`,
    headers: asInst(),
    payload: { status: 'cancelled' },
  });
  await h.app.inject({
    method: 'PATCH',
    url: `/api/stays/${stayId}/meetings/${meetingIds.winter}`,
    headers: asInst(),
    payload: { plannedAt: winter.replace('14:30', '15:00') },
  });
});
afterAll(() => h?.close());

describe('GET /api/stays/:id/calendar.ics', () => {
  it('gives each planned meeting in Oslo time (TZID with its VTIMEZONE) and each open deadline as an all-day event', async () => {
    const res = await h.app.inject({ url: `/api/stays/${stayId}/calendar.ics`, headers: asInst() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { calendar, events } = parse(res.body);
    expect(calendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Oslo');

    const meeting = (id: string) => events.find((e) => e.uid.startsWith(`meeting-${id}@`))!;
    const housing = meeting(meetingIds.summer!);
    expect(housing.raw.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Europe/Oslo');
    expect(housing.start.toString()).toBe(`${summer}:00`);
    expect(housing.start.toJSDate().toISOString()).toBe(new Date(`${summer}:00+02:00`).toISOString());
    expect(housing.end!.toString()).toBe(`${summer.replace('10:00', '11:00')}:00`);
    expect(housing.summary).toBe(`Boligmøte (Kalenderinstitusjonen ${run} / Test ${BYDEL})`);
    expect(housing.raw.location).toBe('Møterom 1');
    const moved = meeting(meetingIds.winter!);
    expect(moved.start.toJSDate().toISOString()).toBe(
      new Date(`${winter.replace('14:30', '15:00')}:00+01:00`).toISOString(),
    );
    expect(moved.sequence).toBe(1);
    expect(moved.raw.description).toContain('Videolenke: https://video.example.no/rom/1');
    expect(events.some((e) => e.uid.includes(meetingIds.cancelled!))).toBe(false);

    const stay = (await h.app.inject({ url: `/api/stays/${stayId}`, headers: asInst() })).json();
    const open = stay.milestones
      .filter(
        (m: { dueDate: string | null; recurring: boolean; status: string }) =>
          m.dueDate && !m.recurring && ['pending', 'overdue'].includes(m.status),
      )
      .map((m: { key: string; dueDate: string }) => `${m.key} ${m.dueDate}`)
      .sort();
    const deadlines = events.filter((e) => e.uid.startsWith('deadline-'));
    expect(open.length).toBeGreaterThan(3);
    expect(deadlines.every((e) => e.start.isDate && e.summary.startsWith('Frist: '))).toBe(true);
    expect(
      deadlines.map((e) => `${e.uid.slice(`deadline-${stayId}-`.length, e.uid.indexOf('@') - 11)} ${e.start}`).sort(),
    ).toEqual(open);
    // no resident reference unless the organisation opted in
    expect(res.body).not.toContain(REF);
  });

  it('answers 404 outside the scope, and logs the read', async () => {
    expect(
      (await h.app.inject({ url: `/api/stays/${stayId}/calendar.ics`, headers: asInst(OTHER_INST) })).statusCode,
    ).toBe(404);
    const log = await h.app.inject({ url: `/api/stays/${stayId}/access-log`, headers: h.auth('admin') });
    expect(log.json().items.map((e: { view: string }) => e.view)).toContain('calendar');
  });
});

describe('calendar feeds (secret address, revocable)', () => {
  let userFeed: { id: string; url: string };

  it('makes a feed of "mine beboere" whose address works without a token; only its hash is stored', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/calendar/feeds',
      headers: asInst(),
      payload: { kind: 'user' },
    });
    expect(res.statusCode).toBe(201);
    userFeed = res.json();
    expect(userFeed.url).toMatch(/^http:\/\/localhost:80\/api\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    const path = new URL(userFeed.url).pathname;
    const feed = await h.app.inject({ url: path });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const uids = parse(feed.body).events.map((e) => e.uid);
    expect(uids).toContain(`meeting-${meetingIds.summer}@oppholdslopet.oslo.kommune.no`);
    expect(uids.some((u) => u.startsWith(`deadline-${stayId}-`))).toBe(true);

    const token = path.split('/').at(-1)!.replace('.ics', '');
    const stored = await h.pool.query('SELECT token_hash FROM calendar_feeds WHERE id = $1', [userFeed.id]);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
    // the caller's list shows it, without its address
    const list = (await h.app.inject({ url: '/api/calendar/feeds', headers: asInst() })).json();
    expect(list.feeds).toContainEqual(expect.objectContaining({ id: userFeed.id, kind: 'user', mine: true }));
    expect(JSON.stringify(list)).not.toContain(token);
  });

  it('adds to "mine beboere" the stays where I follow a milestone up, with that deadline even when the other party answers for it', async () => {
    // a bydel coordinator, not a contact of the stay
    const coordinator = { authorization: `Bearer ${h.token('bydel', BYDEL, `coordinator-${run}`)}` };
    const feedOf = async (kind: 'user' | 'organisation') => {
      const created = await h.app.inject({
        method: 'POST',
        url: '/api/calendar/feeds',
        headers: coordinator,
        payload: { kind },
      });
      expect(created.statusCode).toBe(201);
      const path = new URL(created.json().url).pathname;
      return async () => parse((await h.app.inject({ url: path })).body).events.map((e) => e.uid);
    };
    const mine = await feedOf('user');
    expect((await mine()).filter((u) => u.includes(stayId))).toEqual([]);

    const stay = (await h.app.inject({ url: `/api/stays/${stayId}`, headers: asInst() })).json() as {
      milestones: { key: string; status: string; responsible: string; dueDate: string | null }[];
    };
    // an open deadline the institution answers for, within the feed's 90 days back
    const institutions = stay.milestones.find(
      (m) =>
        m.responsible === 'institution' &&
        (m.status === 'pending' || m.status === 'overdue') &&
        m.dueDate !== null &&
        m.dueDate >= addOffset(today, { days: -80 }),
    );
    expect(institutions).toBeDefined();
    const key = institutions!.key;
    const take = await h.app.inject({
      method: 'PUT',
      url: `/api/stays/${stayId}/milestones/${key}/assignee`,
      headers: coordinator,
    });
    expect(take.statusCode).toBe(200);
    const taken = await mine();
    expect(taken).toContain(`meeting-${meetingIds.summer}@oppholdslopet.oslo.kommune.no`);
    expect(taken.some((u) => u.startsWith(`deadline-${stayId}-${key}`))).toBe(true);
    // the bydel's organisation feed still shows only what the bydel answers for
    const bydels = await (await feedOf('organisation'))();
    expect(bydels.some((u) => u.startsWith(`deadline-${stayId}-${key}`))).toBe(false);

    await h.app.inject({
      method: 'DELETE',
      url: `/api/stays/${stayId}/milestones/${key}/assignee`,
      headers: coordinator,
    });
    expect((await mine()).filter((u) => u.includes(stayId))).toEqual([]);
  });

  it("shows an organisation feed only that organisation's stays", async () => {
    const own = (
      await h.app.inject({
        method: 'POST',
        url: '/api/calendar/feeds',
        headers: asInst(),
        payload: { kind: 'organisation' },
      })
    ).json();
    const other = (
      await h.app.inject({
        method: 'POST',
        url: '/api/calendar/feeds',
        headers: asInst(OTHER_INST),
        payload: { kind: 'organisation' },
      })
    ).json();
    const ownFeed = await h.app.inject({ url: new URL(own.url).pathname });
    expect(parse(ownFeed.body).events.map((e) => e.uid)).toContain(
      `meeting-${meetingIds.summer}@oppholdslopet.oslo.kommune.no`,
    );
    const otherFeed = await h.app.inject({ url: new URL(other.url).pathname });
    expect(otherFeed.body).not.toContain(stayId);
  });

  it('names the resident in titles only when an administrator opted the organisation in', async () => {
    const refused = await h.app.inject({
      method: 'PUT',
      url: `/api/calendar/settings/${INST}`,
      headers: asInst(),
      payload: { residentRefInTitles: true },
    });
    expect(refused.statusCode).toBe(403);
    const opted = await h.app.inject({
      method: 'PUT',
      url: `/api/calendar/settings/${INST}`,
      headers: h.auth('admin'),
      payload: { residentRefInTitles: true },
    });
    expect(opted.json()).toMatchObject({ orgId: INST, residentRefInTitles: true, updatedBy: 'user-admin' });
    const feed = await h.app.inject({ url: new URL(userFeed.url).pathname });
    expect(parse(feed.body).events.find((e) => e.uid.includes(meetingIds.summer!))!.summary).toBe(
      `Boligmøte – ${REF} (Kalenderinstitusjonen ${run} / Test ${BYDEL})`,
    );
    // the same decision again changes nothing
    const again = await h.app.inject({
      method: 'PUT',
      url: `/api/calendar/settings/${INST}`,
      headers: h.auth('admin'),
      payload: { residentRefInTitles: true },
    });
    expect(again.statusCode).toBe(200);
    await h.app.inject({
      method: 'PUT',
      url: `/api/calendar/settings/${INST}`,
      headers: h.auth('admin'),
      payload: { residentRefInTitles: false },
    });
    // each decision is in the organisation's change log, before → after, by whom
    const history = await h.app.inject({ url: `/api/organisations/${INST}/history`, headers: h.auth('admin') });
    expect(
      history.json().items.filter((e: { action: string }) => e.action === 'organisation.calendar-settings-changed'),
    ).toEqual([
      {
        at: expect.any(String),
        actor: { sub: 'user-admin', role: 'admin' },
        action: 'organisation.calendar-settings-changed',
        details: { residentRefInTitles: { from: false, to: true } },
      },
      {
        at: expect.any(String),
        actor: { sub: 'user-admin', role: 'admin' },
        action: 'organisation.calendar-settings-changed',
        details: { residentRefInTitles: { from: true, to: false } },
      },
    ]);
    const unknown = await h.app.inject({
      method: 'PUT',
      url: `/api/calendar/settings/org-not-registered-${run}`,
      headers: h.auth('admin'),
      payload: { residentRefInTitles: true },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('logs each fetch of a feed as its owner', async () => {
    const log = await h.app.inject({ url: '/api/access-log?userId=user-institution', headers: h.auth('admin') });
    expect(log.json().items.map((e: { view: string }) => e.view)).toContain('calendar-feed');
  });

  it('revokes a feed: its address answers 404 at once; only its owner or the organisation can revoke it', async () => {
    const stranger = await h.app.inject({
      method: 'DELETE',
      url: `/api/calendar/feeds/${userFeed.id}`,
      headers: asStranger(),
    });
    expect(stranger.statusCode).toBe(404);
    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/api/calendar/feeds/${userFeed.id}`,
      headers: asInst(),
    });
    expect(revoked.statusCode).toBe(204);
    const gone = await h.app.inject({ url: new URL(userFeed.url).pathname });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toContain('application/problem+json');
    expect(
      (await h.app.inject({ method: 'DELETE', url: `/api/calendar/feeds/${userFeed.id}`, headers: asInst() }))
        .statusCode,
    ).toBe(404);
    expect((await h.app.inject({ url: '/api/calendar/feeds/not-a-token.ics' })).statusCode).toBe(400);
  });

  it('gives administrators no feed of their own (403)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/calendar/feeds',
      headers: h.auth('admin'),
      payload: { kind: 'user' },
    });
    expect(res.statusCode).toBe(403);
  });
});
