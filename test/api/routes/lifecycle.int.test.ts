import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_PLAN_PARTS } from '../../../rules/exit-plan';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL, 'bydel-next', MOVING_TO, 'bydel-bystander');
});
afterAll(() => h?.close());

const INST = 'inst-life-api';
const BYDEL = 'bydel-life-api';
const MOVING_TO = 'bydel-moving-to';
const today = () => osloDate(Date.now());
const inst = () => h.auth('institution', INST);
const byd = (org = BYDEL) => h.auth('bydel', org);

const newStay = (admittedAt = addOffset(today(), { months: -5 })) =>
  registerStay(h, { residentRef: 'R-LC', institutionId: INST, bydelId: BYDEL, admittedAt });
const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  h.app.inject({ method: 'POST', url, headers, payload: payload as object });
const offer = {
  date: today(),
  hasBooppfolgingDecision: true,
  housingConditionalOnFollowUp: false,
  expectedMoveInDate: addOffset(today(), { days: 14 }),
};
const PARTS = Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, { responsible: 'bydel', status: 'in-progress' }]));

describe('POST /api/stays/:id/events/:type', () => {
  it('records housing-offered: the bydel convenes, the §3 milestones open, the answer shows it at once', async () => {
    const stay = await newStay();
    const res = await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), offer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.convener).toBe('bydel');
    expect(body.transition.housingOffered).toMatchObject({ date: today(), hasBooppfolgingDecision: true });
    const byKey = Object.fromEntries(body.milestones.map((m: { key: string }) => [m.key, m]));
    expect(byKey['exit-meeting']).toMatchObject({
      dueDate: addOffset(today(), { days: 7 }),
      responsible: 'bydel',
      status: 'pending',
      section: '§3.1',
    });
    expect(byKey['cooperation-agreement']).toMatchObject({ status: 'not-applicable' });
    expect(byKey['housing-follow-up-contact']).toMatchObject({ dueDate: addOffset(today(), { days: 14 }) });
    const again = await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), offer);
    expect(again.statusCode).toBe(409);
  });

  it('refuses bad events with clear problems and changes nothing', async () => {
    const stay = await newStay();
    expect((await post(`/api/stays/${stay.id}/events/party`, inst(), { date: today() })).statusCode).toBe(404);
    const byBydel = await post(`/api/stays/${stay.id}/events/discharged`, byd(), { date: today() });
    expect(byBydel.statusCode).toBe(403);
    const early = await post(`/api/stays/${stay.id}/events/discharged`, inst(), { date: today() });
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toMatch(/ended-early/);
    const badReason = await post(`/api/stays/${stay.id}/events/ended-early`, inst(), {
      date: today(),
      reason: 'bored',
    });
    // the event's own fields depend on its type (the path): refused as its content, with the field named
    expect(badReason.statusCode).toBe(422);
    expect(badReason.json().errors[0].path).toBe('body.reason');
    const outsider = await post(`/api/stays/${stay.id}/events/housing-offered`, byd('bydel-other'), offer);
    expect(outsider.statusCode).toBe(404);
    const read = await h.app.inject({ url: `/api/stays/${stay.id}`, headers: inst() });
    expect(read.json().revision).toBe(stay.revision);
  });

  it('moves the stay to another bydel: the old bydel loses access, the new one sees it, history says who', async () => {
    const stay = await newStay();
    const res = await post(`/api/stays/${stay.id}/events/bydel-changed`, byd(), {
      date: today(),
      bydelId: 'bydel-next',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().bydelId).toBe('bydel-next');
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd() })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd('bydel-next') })).statusCode).toBe(200);
    const history = (await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers: byd('bydel-next') })).json();
    expect(history.items.at(-1)).toMatchObject({
      action: 'event.bydel-changed',
      actor: { role: 'bydel', org: BYDEL },
      details: { from: BYDEL, bydelId: 'bydel-next' },
    });
  });
});

describe('deviations, exit plan and corrections', () => {
  it('lets the bydel a resident is moving to read the stay (not record in it) until the bydel change hands it over (§3)', async () => {
    const stay = await newStay();
    const list = async (org: string) =>
      ((await h.app.inject({ url: `/api/stays?limit=200`, headers: byd(org) })).json().items as { id: string }[]).some(
        (s) => s.id === stay.id,
      );
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd(MOVING_TO) })).statusCode).toBe(404);
    expect(await list(MOVING_TO)).toBe(false);

    const offered = await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), {
      ...offer,
      receivingBydelId: MOVING_TO,
    });
    expect(offered.statusCode).toBe(200);
    // the receiving bydel reads the stay, its history and finds it in its worklist; each read is logged
    const read = await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd(MOVING_TO) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      bydelId: BYDEL,
      transition: { housingOffered: { receivingBydelId: MOVING_TO } },
    });
    expect((await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers: byd(MOVING_TO) })).statusCode).toBe(
      200,
    );
    expect(await list(MOVING_TO)).toBe(true);
    // the receiving bydel's "moving here" list: this stay, with when housing was offered and the expected move-in
    const incoming = async () =>
      (await h.app.inject({ url: `/api/stays?movingTo=${MOVING_TO}&limit=200`, headers: byd(MOVING_TO) })).json()
        .items as { id: string; movingTo: unknown }[];
    expect((await incoming()).find((s) => s.id === stay.id)?.movingTo).toEqual({
      bydelId: MOVING_TO,
      housingOfferedOn: today(),
      expectedMoveInDate: offer.expectedMoveInDate,
    });
    expect((await incoming()).every((s) => (s.movingTo as { bydelId: string }).bydelId === MOVING_TO)).toBe(true);
    const reads = (await h.app.inject({ url: `/api/stays/${stay.id}/access-log`, headers: h.auth('admin') })).json()
      .items;
    expect(
      reads.some((r: { actor: { org: string }; view: string }) => r.actor.org === MOVING_TO && r.view === 'stay'),
    ).toBe(true);
    // ...but records nothing, with a reason it can act on; the stay is unchanged
    const before = read.json().revision;
    const refused = await post(`/api/stays/${stay.id}/milestones/exit-meeting`, byd(MOVING_TO), { doneAt: today() });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/moving to bydel-moving-to.*bydel-changed/);
    expect(
      (await post(`/api/stays/${stay.id}/events/bydel-changed`, byd(MOVING_TO), { date: today(), bydelId: MOVING_TO }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await post(`/api/stays/${stay.id}/deviations`, byd(MOVING_TO), {
          milestone: 'exit-meeting',
          dueDate: addOffset(today(), { days: 20 }),
          reason: 'agreed with the bydel',
          agreedBy: 'both',
        })
      ).statusCode,
    ).toBe(403);
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: inst() })).json().revision).toBe(before);
    // a bydel the resident is not moving to still sees nothing
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd('bydel-bystander') })).statusCode).toBe(
      404,
    );
    expect(
      (await post(`/api/stays/${stay.id}/milestones/exit-meeting`, byd('bydel-bystander'), { doneAt: today() }))
        .statusCode,
    ).toBe(404);

    // the hand-over: the receiving bydel now records, the old one no longer sees the stay
    expect(
      (await post(`/api/stays/${stay.id}/events/bydel-changed`, byd(), { date: today(), bydelId: MOVING_TO }))
        .statusCode,
    ).toBe(200);
    expect((await incoming()).some((s) => s.id === stay.id)).toBe(false);
    expect(
      (await post(`/api/stays/${stay.id}/milestones/housing-follow-up-contact`, byd(MOVING_TO), { doneAt: today() }))
        .statusCode,
    ).toBe(200);
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd() })).statusCode).toBe(404);
  });

  it('ends the read access of a receiving bydel when the housing offer is withdrawn', async () => {
    const stay = await newStay();
    await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), { ...offer, receivingBydelId: MOVING_TO });
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd(MOVING_TO) })).statusCode).toBe(200);
    const withdrawn = await post(`/api/stays/${stay.id}/corrections`, byd(), {
      target: { event: 'housing-offered' },
      action: 'withdraw',
      reason: 'the offer fell through',
    });
    expect(withdrawn.statusCode).toBe(200);
    expect((await h.app.inject({ url: `/api/stays/${stay.id}`, headers: byd(MOVING_TO) })).statusCode).toBe(404);
  });

  it('shows an agreed deviation wherever the due date is shown', async () => {
    const stay = await newStay(today());
    const res = await post(`/api/stays/${stay.id}/deviations`, inst(), {
      milestone: 'plan-started',
      dueDate: addOffset(today(), { days: 30 }),
      reason: 'agreed with the bydel',
      agreedBy: 'both',
      onBehalfOfBoth: true,
    });
    expect(res.statusCode).toBe(200);
    const m = res.json().milestones.find((x: { key: string }) => x.key === 'plan-started');
    expect(m).toMatchObject({
      dueDate: addOffset(today(), { days: 30 }),
      originalDueDate: addOffset(today(), { days: 14 }),
      deviation: {
        agreedBy: 'both',
        reason: 'agreed with the bydel',
        statedOnBehalfOfBoth: { sub: 'user-institution', role: 'institution', org: INST },
      },
    });
    const unknown = await post(`/api/stays/${stay.id}/deviations`, inst(), {
      milestone: 'nope',
      dueDate: today(),
      reason: 'x x x',
      agreedBy: 'both',
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('requires the exit plan with the exit meeting, and accepts it through PUT', async () => {
    const stay = await newStay();
    await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), offer);
    const noPlan = await post(`/api/stays/${stay.id}/milestones/exit-meeting`, byd(), {
      doneAt: today(),
      institutionAttended: true,
    });
    expect(noPlan.statusCode).toBe(422);
    expect(noPlan.json().detail).toMatch(/exit plan/);
    const partial = await h.app.inject({
      method: 'PUT',
      url: `/api/stays/${stay.id}/exit-plan`,
      headers: byd(),
      payload: { parts: {}, contingencyPlanConsidered: true },
    });
    expect(partial.statusCode).toBe(400);
    const plan = await h.app.inject({
      method: 'PUT',
      url: `/api/stays/${stay.id}/exit-plan`,
      headers: byd(),
      payload: { parts: PARTS, contingencyPlanConsidered: true },
    });
    expect(plan.statusCode).toBe(200);
    expect(plan.json().transition.exitPlan.parts.finances).toEqual({ responsible: 'bydel', status: 'in-progress' });
    const meeting = await post(`/api/stays/${stay.id}/milestones/exit-meeting`, byd(), {
      doneAt: today(),
      institutionAttended: true,
    });
    expect(meeting.statusCode).toBe(200);
  });

  it('lets the recording organisation withdraw housing-offered, giving convening back to the institution', async () => {
    const stay = await newStay();
    await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), offer);
    const correction = {
      target: { event: 'housing-offered' },
      action: 'withdraw',
      reason: 'the offer was withdrawn by the landlord',
    };
    const byOther = await post(`/api/stays/${stay.id}/corrections`, inst(), correction);
    expect(byOther.statusCode).toBe(403);
    const res = await post(`/api/stays/${stay.id}/corrections`, byd(), correction);
    expect(res.statusCode).toBe(200);
    expect(res.json().convener).toBe('institution');
    expect(res.json().milestones.map((m: { key: string }) => m.key)).not.toContain('exit-meeting');
    const history = (await h.app.inject({ url: `/api/stays/${stay.id}/history`, headers: inst() })).json();
    expect(history.items.at(-1)).toMatchObject({
      action: 'correction.withdraw',
      details: { reason: correction.reason, convener: { from: 'bydel', to: 'institution' } },
    });
  });
});

describe('extra status reports and moves between institutions', () => {
  it('tracks each agreed extra status report with its own due date', async () => {
    const stay = await newStay();
    const first = addOffset(today(), { days: 10 });
    const second = addOffset(today(), { days: 40 });
    await post(`/api/stays/${stay.id}/extra-status-reports`, byd(), { dueDate: second });
    const res = await post(`/api/stays/${stay.id}/extra-status-reports`, inst(), { dueDate: first });
    expect(res.statusCode).toBe(200);
    const extra = () => res.json().milestones.find((m: { key: string }) => m.key === 'extra-status-report');
    expect(extra()).toMatchObject({
      dueDate: first,
      status: 'pending',
      section: '§2.2',
      details: { agreedDates: [first, second], delivered: [] },
    });
    const done = await post(`/api/stays/${stay.id}/milestones/extra-status-report`, inst(), { doneAt: today() });
    expect(done.json().milestones.find((m: { key: string }) => m.key === 'extra-status-report')).toMatchObject({
      dueDate: second,
      status: 'pending',
    });
    const last = await post(`/api/stays/${stay.id}/milestones/extra-status-report`, inst(), { doneAt: today() });
    expect(last.json().milestones.find((m: { key: string }) => m.key === 'extra-status-report')).toMatchObject({
      status: 'done',
      doneAt: today(),
    });
    const third = await post(`/api/stays/${stay.id}/milestones/extra-status-report`, inst(), { doneAt: today() });
    expect(third.statusCode).toBe(409); // every agreed report is in
    const dup = await post(`/api/stays/${stay.id}/extra-status-reports`, inst(), { dueDate: second });
    expect(dup.statusCode).toBe(409);
  });

  it('refuses an extra status report after the discharge, pointing to the final report, and changes nothing', async () => {
    const stay = await newStay();
    expect((await post(`/api/stays/${stay.id}/events/housing-offered`, byd(), offer)).statusCode).toBe(200);
    const discharged = await post(`/api/stays/${stay.id}/events/discharged`, inst(), { date: today() });
    expect(discharged.statusCode).toBe(200);
    const res = await post(`/api/stays/${stay.id}/extra-status-reports`, byd(), {
      dueDate: addOffset(today(), { days: 10 }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toMatch(/discharged on .*final report \(§3\.3\)/);
    const read = await h.app.inject({ url: `/api/stays/${stay.id}`, headers: inst() });
    expect(read.json().revision).toBe(discharged.json().revision);
  });

  it('links a stay at another institution to the stay that ended with a move', async () => {
    const stay = await newStay();
    const ended = await post(`/api/stays/${stay.id}/events/ended-early`, inst(), {
      date: today(),
      reason: 'moved-institution',
      toInstitutionId: 'inst-next',
    });
    expect(ended.json()).toMatchObject({
      status: 'ended',
      transition: { endedEarly: { reason: 'moved-institution', toInstitutionId: 'inst-next' } },
    });
    const next = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('bydel', BYDEL),
      payload: {
        residentRef: 'R-LC',
        institutionId: 'inst-next',
        bydelId: BYDEL,
        admittedAt: today(),
        previousStayId: stay.id,
      },
    });
    expect(next.statusCode).toBe(201);
    expect(next.json().previousStayId).toBe(stay.id);
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/api/stays',
      headers: h.auth('institution', 'inst-next'),
      payload: {
        residentRef: 'R-LC',
        institutionId: 'inst-next',
        bydelId: BYDEL,
        admittedAt: today(),
        previousStayId: stay.id,
      },
    });
    expect(foreign.statusCode).toBe(404); // the previous stay is not visible to the new institution
  });
});
