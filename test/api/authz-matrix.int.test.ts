import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_PLAN_PARTS } from '../../rules/exit-plan';
import { addOffset, osloDate } from '../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../support/api-harness';
import { registerOrganisations } from '../support/organisations';
import { registerStay } from '../support/stays';
import { eventually } from '../support/eventually';

/**
 * The authorization matrix, generated from the route table: every route × every kind of caller. A route added
 * without a rule here fails the test — decide who may call it, then add it to ROUTE_RULES.
 */
type Caller = 'anonymous' | 'institution' | 'otherInstitution' | 'bydel' | 'otherBydel' | 'admin';
/** `ok`: passes authorization (any answer but 401/403/404); `scope`: not 401/404 (a rule may still say 403). */
type Expect = 'ok' | 'scope' | 401 | 403 | 404;
type Rule = { path: (c: Ctx) => string; body?: (c: Ctx) => unknown; expect: Record<Caller, Expect> };
type Ctx = { stayId: string; inboxId: string; meetingId: string; applicationId: string; today: string };

const INST = 'inst-matrix';
const BYDEL = 'bydel-matrix';
const NEW_ORG = `inst-matrix-${Date.now()}`;
const everyone: Record<Caller, Expect> = {
  anonymous: 401,
  institution: 'ok',
  otherInstitution: 'ok',
  bydel: 'ok',
  otherBydel: 'ok',
  admin: 'ok',
};
const stayScoped: Record<Caller, Expect> = {
  anonymous: 401,
  institution: 'ok',
  otherInstitution: 404,
  bydel: 'ok',
  otherBydel: 404,
  admin: 'ok',
};
const adminOnly: Record<Caller, Expect> = {
  anonymous: 401,
  institution: 403,
  otherInstitution: 403,
  bydel: 403,
  otherBydel: 403,
  admin: 'ok',
};
const part = { responsible: 'bydel', status: 'in-progress' };

const ROUTE_RULES: Record<string, Rule> = {
  'POST /api/stays': {
    path: () => '/api/stays',
    body: (c) => ({ residentRef: 'R-MATRIX', institutionId: INST, bydelId: BYDEL, admittedAt: c.today }),
    expect: { anonymous: 401, institution: 'ok', otherInstitution: 403, bydel: 'ok', otherBydel: 403, admin: 'ok' },
  },
  'GET /api/stays': { path: () => '/api/stays', expect: everyone },
  'GET /api/stays/:id': { path: (c) => `/api/stays/${c.stayId}`, expect: stayScoped },
  'GET /api/stays/:id/history': { path: (c) => `/api/stays/${c.stayId}/history`, expect: stayScoped },
  'POST /api/stays/:id/milestones/status-report/insufficient': {
    path: (c) => `/api/stays/${c.stayId}/milestones/status-report/insufficient`,
    body: () => ({}),
    expect: { ...stayScoped, institution: 403 },
  },
  'POST /api/stays/:id/milestones/:key': {
    path: (c) => `/api/stays/${c.stayId}/milestones/plan-started`,
    body: (c) => ({ doneAt: c.today }),
    expect: stayScoped,
  },
  'POST /api/stays/:id/events/:type': {
    path: (c) => `/api/stays/${c.stayId}/events/moved-in`,
    body: (c) => ({ date: c.today }),
    expect: stayScoped,
  },
  'POST /api/stays/:id/deviations': {
    path: (c) => `/api/stays/${c.stayId}/deviations`,
    body: (c) => ({
      milestone: 'applications',
      dueDate: addOffset(c.today, { days: 60 }),
      reason: 'matrix test',
      agreedBy: 'both',
    }),
    expect: stayScoped,
  },
  'POST /api/stays/:id/deviations/:milestone/confirm': {
    path: (c) => `/api/stays/${c.stayId}/deviations/applications/confirm`,
    body: () => ({}),
    // the other party confirms; an administrator states a deviation on behalf of both instead
    expect: { ...stayScoped, admin: 403 },
  },
  'PUT /api/stays/:id/exit-plan': {
    path: (c) => `/api/stays/${c.stayId}/exit-plan`,
    body: () => ({
      parts: Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, part])),
      contingencyPlanConsidered: true,
    }),
    expect: stayScoped,
  },
  'POST /api/stays/:id/extra-status-reports': {
    path: (c) => `/api/stays/${c.stayId}/extra-status-reports`,
    body: (c) => ({ dueDate: addOffset(c.today, { days: 30 }) }),
    expect: stayScoped,
  },
  'POST /api/stays/:id/corrections': {
    path: (c) => `/api/stays/${c.stayId}/corrections`,
    body: () => ({ target: { milestone: 'status-report' }, action: 'withdraw', reason: 'matrix test' }),
    // only the recording organisation or an admin may correct: 403 for the other party is a rule, not a scope leak
    expect: { ...stayScoped, institution: 'scope', bydel: 'scope' },
  },
  'GET /api/stays/:id/contacts': { path: (c) => `/api/stays/${c.stayId}/contacts`, expect: stayScoped },
  'GET /api/stays/:id/assignees': { path: (c) => `/api/stays/${c.stayId}/assignees`, expect: stayScoped },
  'PUT /api/stays/:id/milestones/:key/assignee': {
    path: (c) => `/api/stays/${c.stayId}/milestones/applications/assignee`,
    // the stay's staff follow a milestone up; an administrator does not
    expect: { ...stayScoped, admin: 403 },
  },
  'DELETE /api/stays/:id/milestones/:key/assignee': {
    path: (c) => `/api/stays/${c.stayId}/milestones/applications/assignee`,
    // the holder gives it back (409 for anyone else is a rule, not a scope leak); an administrator may too
    expect: stayScoped,
  },
  'PUT /api/stays/:id/contacts': {
    path: (c) => `/api/stays/${c.stayId}/contacts`,
    body: () => ({ contacts: [{ role: 'primary-contact', name: 'Matrise Kontakt', organisationId: INST }] }),
    expect: stayScoped,
  },
  'GET /api/stays/:id/meetings': { path: (c) => `/api/stays/${c.stayId}/meetings`, expect: stayScoped },
  'POST /api/stays/:id/meetings': {
    path: (c) => `/api/stays/${c.stayId}/meetings`,
    body: (c) => ({ milestone: 'cooperation-meeting', plannedAt: `${addOffset(c.today, { days: 10 })}T10:00` }),
    expect: stayScoped,
  },
  'PATCH /api/stays/:id/meetings/:meetingId': {
    path: (c) => `/api/stays/${c.stayId}/meetings/${c.meetingId}`,
    body: () => ({ place: 'Matrisemøterommet' }),
    expect: stayScoped,
  },
  'PUT /api/stays/:id/meetings/:meetingId/attendance': {
    path: (c) => `/api/stays/${c.stayId}/meetings/${c.meetingId}/attendance`,
    body: () => ({
      attended: {
        resident: true,
        institution: true,
        bydel: true,
        housingFollowUpWorker: false,
        relatives: false,
        others: false,
      },
      housingOnAgenda: true,
    }),
    expect: stayScoped,
  },
  'GET /api/stays/:id/participation': { path: (c) => `/api/stays/${c.stayId}/participation`, expect: stayScoped },
  'GET /api/stays/:id/consent': { path: (c) => `/api/stays/${c.stayId}/consent`, expect: stayScoped },
  'PUT /api/stays/:id/consent': {
    path: (c) => `/api/stays/${c.stayId}/consent`,
    body: (c) => ({ given: true, date: c.today, validUntil: addOffset(c.today, { months: 6 }) }),
    expect: stayScoped,
  },
  'GET /api/stays/:id/relatives': { path: (c) => `/api/stays/${c.stayId}/relatives`, expect: stayScoped },
  'PUT /api/stays/:id/relatives': {
    path: (c) => `/api/stays/${c.stayId}/relatives`,
    body: (c) => ({ involvement: 'not-relevant', date: c.today }),
    expect: stayScoped,
  },
  // addressed to the institution: everyone may ask, a bydel gets an empty list (participation.int.test.ts)
  'GET /api/consent-reminders': { path: () => '/api/consent-reminders', expect: everyone },
  // an id that is no reminder: past authorization, the answer is that none is addressed to the caller
  'POST /api/consent-reminders/:id/acknowledge': {
    path: () => '/api/consent-reminders/00000000-0000-4000-8000-000000000000/acknowledge',
    expect: { ...everyone, institution: 404, otherInstitution: 404, bydel: 404, otherBydel: 404, admin: 404 },
  },
  'GET /api/stays/:id/applications': { path: (c) => `/api/stays/${c.stayId}/applications`, expect: stayScoped },
  'POST /api/stays/:id/applications': {
    path: (c) => `/api/stays/${c.stayId}/applications`,
    body: (c) => ({ type: 'startlan', responsible: 'bydel', sentOn: c.today }),
    expect: stayScoped,
  },
  'PATCH /api/stays/:id/applications/:applicationId': {
    path: (c) => `/api/stays/${c.stayId}/applications/${c.applicationId}`,
    body: () => ({ reportAttached: true }),
    expect: stayScoped,
  },
  'GET /api/stays/:id/calendar.ics': { path: (c) => `/api/stays/${c.stayId}/calendar.ics`, expect: stayScoped },
  // a feed follows the caller's organisation; administrators have none
  'GET /api/calendar/feeds': { path: () => '/api/calendar/feeds', expect: everyone },
  'POST /api/calendar/feeds': {
    path: () => '/api/calendar/feeds',
    body: () => ({ kind: 'organisation' }),
    expect: { ...everyone, admin: 403 },
  },
  // a feed id that does not exist: past authorization, nothing to revoke
  'DELETE /api/calendar/feeds/:feedId': {
    path: () => '/api/calendar/feeds/00000000-0000-4000-8000-000000000000',
    expect: { ...everyone, institution: 404, otherInstitution: 404, bydel: 404, otherBydel: 404, admin: 404 },
  },
  // calendar clients send no bearer token: the secret address is the credential (an unknown one is 404 for all)
  'GET /api/calendar/feeds/:token.ics': {
    path: () => `/api/calendar/feeds/${'x'.repeat(43)}.ics`,
    expect: { anonymous: 404, institution: 404, otherInstitution: 404, bydel: 404, otherBydel: 404, admin: 404 },
  },
  'GET /api/calendar/settings/:orgId': {
    path: () => `/api/calendar/settings/${INST}`,
    expect: { anonymous: 401, institution: 'ok', otherInstitution: 404, bydel: 404, otherBydel: 404, admin: 'ok' },
  },
  'PUT /api/calendar/settings/:orgId': {
    path: () => `/api/calendar/settings/${BYDEL}`,
    body: () => ({ residentRefInTitles: false }),
    expect: adminOnly,
  },
  // how the web app logs in: public by design (the login page reads it before anyone has a token)
  'GET /api/auth/config': { path: () => '/api/auth/config', expect: { ...everyone, anonymous: 'ok' } },
  'GET /api/auth/me': { path: () => '/api/auth/me', expect: everyone },
  'GET /api/escalations': { path: () => '/api/escalations', expect: everyone },
  'GET /api/inbox': { path: () => '/api/inbox', expect: everyone },
  'GET /api/config/rules': { path: () => '/api/config/rules', expect: everyone },
  // an administrator sees every alarm but follows none up
  'POST /api/inbox/:id/acknowledge': {
    path: (c) => `/api/inbox/${c.inboxId}/acknowledge`,
    expect: { ...stayScoped, admin: 403 },
  },
  'POST /api/inbox/:id/assign': {
    path: (c) => `/api/inbox/${c.inboxId}/assign`,
    expect: { ...stayScoped, admin: 403 },
  },
  'GET /api/stays/:id/workflow-history': { path: (c) => `/api/stays/${c.stayId}/workflow-history`, expect: adminOnly },
  'GET /api/stays/:id/temporal-link': { path: (c) => `/api/stays/${c.stayId}/temporal-link`, expect: adminOnly },
  'GET /api/stays/:id/export': { path: (c) => `/api/stays/${c.stayId}/export`, expect: adminOnly },
  'GET /api/stays/:id/access-log': { path: (c) => `/api/stays/${c.stayId}/access-log`, expect: adminOnly },
  'GET /api/access-log': { path: () => '/api/access-log?userId=someone', expect: adminOnly },
  'GET /api/stays/:id/rule-diff': { path: (c) => `/api/stays/${c.stayId}/rule-diff`, expect: adminOnly },
  'GET /api/rule-diff': { path: () => '/api/rule-diff', expect: adminOnly },
  // the register: names are not personal data, everyone signed in reads it; only administrators change it
  'GET /api/organisations': { path: () => '/api/organisations?kind=bydel', expect: everyone },
  'POST /api/organisations': {
    path: () => '/api/organisations',
    body: () => ({ id: NEW_ORG, kind: 'institution', name: `Matriseinstitusjon ${NEW_ORG}` }),
    // the admin's second call in a rerun is a 409: past authorization either way
    expect: adminOnly,
  },
  'PATCH /api/organisations/:orgId': {
    path: () => `/api/organisations/${BYDEL}`,
    body: () => ({ name: 'Bydel Matrise' }),
    expect: adminOnly,
  },
  'GET /api/organisations/:orgId/history': { path: () => `/api/organisations/${BYDEL}/history`, expect: adminOnly },
  'GET /api/organisations/:orgId/notification-settings': {
    path: () => `/api/organisations/${INST}/notification-settings`,
    expect: { anonymous: 401, institution: 'ok', otherInstitution: 404, bydel: 404, otherBydel: 404, admin: 'ok' },
  },
  'PUT /api/organisations/:orgId/notification-settings': {
    path: () => `/api/organisations/${INST}/notification-settings`,
    body: () => ({ recipients: [] }),
    expect: adminOnly,
  },
  'GET /api/notifications': { path: () => '/api/notifications?status=failed', expect: adminOnly },
  'GET /api/notifications/unreached': { path: () => '/api/notifications/unreached', expect: adminOnly },
  // figures of the caller's own scope (reports.int.test.ts checks that no other organisation's stays count)
  'GET /api/reports/compliance': {
    path: () => '/api/reports/compliance?from=2025-01-01&to=2025-12-31',
    expect: everyone,
  },
  'GET /api/reports/compliance.csv': {
    path: () => '/api/reports/compliance.csv?from=2025-01-01&to=2025-12-31',
    expect: everyone,
  },
  'GET /api/reports/compliance/heatmap': {
    path: () => '/api/reports/compliance/heatmap?from=2025-01-01&to=2025-12-31',
    expect: everyone,
  },
  'GET /api/reports/forecast': { path: () => '/api/reports/forecast', expect: everyone },
  'GET /api/reports/outcomes': { path: () => '/api/reports/outcomes?from=2025-01-01&to=2025-12-31', expect: everyone },
  'GET /api/reports/compliance/stays': {
    path: (c) => `/api/reports/compliance/stays?from=${addOffset(c.today, { days: -60 })}&to=${c.today}&outcome=due`,
    expect: everyone,
  },
  // a delivery id that does not exist: past authorization, an admin learns only that it is unknown
  'POST /api/notifications/:id/redeliver': {
    path: () => '/api/notifications/00000000-0000-4000-8000-000000000000/redeliver',
    expect: { ...adminOnly, admin: 404 },
  },
};

/** Routes outside the matrix, and why. */
const NOT_API = (url: string) => !url.startsWith('/api/') && url !== '/api';
const DEV_ONLY = (url: string) => url.startsWith('/api/dev'); // registered only in the embedded development default

let h: Harness;
let ctx: Ctx;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, { id: BYDEL, name: 'Bydel Matrise' });
  const today = osloDate(Date.now());
  const { id: stayId } = await registerStay(h, {
    residentRef: 'R-MATRIX',
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { days: -50 }),
    completed: { 'status-report': addOffset(today, { days: -1 }) },
  });
  // a second-level item is addressed to both parties
  const inboxId = await eventually(async () => {
    const items = (
      await h.app.inject({ url: `/api/inbox?stayId=${stayId}&kind=second-level`, headers: h.auth('admin') })
    ).json().items;
    expect(items.length).toBeGreaterThan(0);
    return items[0].id as string;
  });
  const meeting = await h.app.inject({
    method: 'POST',
    url: `/api/stays/${stayId}/meetings`,
    headers: h.auth('institution', INST),
    payload: { milestone: 'cooperation-meeting', plannedAt: `${today}T08:00` },
  });
  const application = await h.app.inject({
    method: 'POST',
    url: `/api/stays/${stayId}/applications`,
    headers: h.auth('institution', INST),
    payload: { type: 'municipal-housing', responsible: 'bydel', sentOn: today },
  });
  ctx = { stayId, inboxId, meetingId: meeting.json().id, applicationId: application.json().id, today };
});
afterAll(() => h?.close());

const headersFor = (caller: Caller): Record<string, string> => {
  switch (caller) {
    case 'anonymous':
      return {};
    case 'institution':
      return h.auth('institution', INST);
    case 'otherInstitution':
      return h.auth('institution', 'inst-elsewhere');
    case 'bydel':
      return h.auth('bydel', BYDEL);
    case 'otherBydel':
      return h.auth('bydel', 'bydel-elsewhere');
    case 'admin':
      return h.auth('admin');
  }
};

describe('authorization matrix', () => {
  it('has a rule for every API route', () => {
    const routes = h.app.routeTable
      .filter((r) => !NOT_API(r.url) && !DEV_ONLY(r.url))
      .map((r) => `${r.method} ${r.url}`);
    const missing = routes.filter((r) => !ROUTE_RULES[r]);
    expect(missing, 'routes without an authorization rule: add them to ROUTE_RULES').toEqual([]);
    const stale = Object.keys(ROUTE_RULES).filter((r) => !routes.includes(r));
    expect(stale, 'rules for routes that no longer exist').toEqual([]);
  });

  it('answers every route × caller as designed', async () => {
    const failures: string[] = [];
    let cells = 0;
    for (const [route, rule] of Object.entries(ROUTE_RULES)) {
      const [method] = route.split(' ');
      for (const caller of Object.keys(rule.expect) as Caller[]) {
        const expected = rule.expect[caller];
        const body = rule.body?.(ctx);
        const res = await h.app.inject({
          method: method as 'GET',
          url: rule.path(ctx),
          headers: headersFor(caller),
          ...(body === undefined ? {} : { payload: body as object }),
        });
        cells++;
        const s = res.statusCode;
        const good =
          expected === 'ok'
            ? ![401, 403, 404].includes(s) && s < 500
            : expected === 'scope'
              ? ![401, 404].includes(s) && s < 500
              : s === expected;
        if (!good) failures.push(`${route} as ${caller}: expected ${expected}, got ${s} ${res.body.slice(0, 160)}`);
      }
    }
    console.log(`authorization matrix: ${Object.keys(ROUTE_RULES).length} routes × 6 callers = ${cells} cells`);
    expect(failures).toEqual([]);
  });
});

/**
 * A bydel named as `receivingBydelId` on `housing-offered` reads the stay (§3: its booppfølger is involved early) —
 * until any bydel change recorded after the offer. Every read a bydel can make of a stay, for each way the offer
 * can end with a bydel change.
 */
describe('a receiving bydel reads only until the next bydel change', () => {
  const [A, B, C, D] = ['bydel-recv-a', 'bydel-recv-b', 'bydel-recv-c', 'bydel-recv-d'];
  const today = () => osloDate(Date.now());
  const post = async (url: string, org: string, payload: object) => {
    const res = await h.app.inject({ method: 'POST', url, headers: h.auth('bydel', org), payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const offer = (receivingBydelId: string) => ({
    date: today(),
    hasBooppfolgingDecision: false,
    housingConditionalOnFollowUp: false,
    receivingBydelId,
  });
  const newStay = async () => {
    const stay = await registerStay(h, {
      residentRef: 'R-RECV',
      institutionId: INST,
      bydelId: A,
      admittedAt: addOffset(today(), { months: -5 }),
    });
    return stay.id;
  };
  /** What `org` can see of the stay: each read route, and whether the stay is in its lists. */
  const reads = async (stayId: string, org: string) => {
    const get = (url: string) => h.app.inject({ url, headers: h.auth('bydel', org) });
    const listed = async (url: string) =>
      ((await get(url)).json().items as { id: string }[]).some((s) => s.id === stayId);
    return {
      stay: (await get(`/api/stays/${stayId}`)).statusCode,
      history: (await get(`/api/stays/${stayId}/history`)).statusCode,
      worklist: await listed('/api/stays?limit=200'),
      movingHere: await listed(`/api/stays?movingTo=${org}&limit=200`),
    };
  };
  const none = { stay: 404, history: 404, worklist: false, movingHere: false };

  beforeAll(() => registerOrganisations(h, A, B, C, D));

  it('hand-over to the receiving bydel and then on to another (A → B → D): B no longer reads', async () => {
    const stayId = await newStay();
    await post(`/api/stays/${stayId}/events/housing-offered`, A, offer(B));
    expect(await reads(stayId, B)).toEqual({ stay: 200, history: 200, worklist: true, movingHere: true });
    await post(`/api/stays/${stayId}/events/bydel-changed`, A, { date: today(), bydelId: B });
    expect(await reads(stayId, B)).toEqual({ stay: 200, history: 200, worklist: true, movingHere: false });
    await post(`/api/stays/${stayId}/events/bydel-changed`, B, { date: today(), bydelId: D });
    expect(await reads(stayId, B)).toEqual(none);
    expect((await reads(stayId, D)).stay).toBe(200);
  });

  it('hand-over to another bydel than the receiving one (offer names C, A → B): C no longer reads', async () => {
    const stayId = await newStay();
    await post(`/api/stays/${stayId}/events/housing-offered`, A, offer(C));
    expect(await reads(stayId, C)).toEqual({ stay: 200, history: 200, worklist: true, movingHere: true });
    await post(`/api/stays/${stayId}/events/bydel-changed`, A, { date: today(), bydelId: B });
    expect(await reads(stayId, C)).toEqual(none);
    expect((await reads(stayId, B)).stay).toBe(200);
  });

  it('a bydel change before the offer does not end the access the later offer gives', async () => {
    const stayId = await newStay();
    await post(`/api/stays/${stayId}/events/bydel-changed`, A, { date: today(), bydelId: B });
    await post(`/api/stays/${stayId}/events/housing-offered`, B, offer(C));
    expect(await reads(stayId, C)).toEqual({ stay: 200, history: 200, worklist: true, movingHere: true });
  });
});
