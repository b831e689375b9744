import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { EXIT_PLAN_PARTS } from '../../../rules/exit-plan';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { registerStay } from '../../support/stays';

/** Rules version 3 through the API: the refusals a person sees, the confirmation of deviations, the configuration. */
let h: Harness;
beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
});
afterAll(() => h?.close());

const INST = 'inst-fidelity-api';
const BYDEL = 'bydel-fidelity-api';
const today = () => osloDate(Date.now());
const inst = () => h.auth('institution', INST);
const byd = () => h.auth('bydel', BYDEL);
const admin = () => h.auth('admin');
type Milestone = {
  key: string;
  dueDate: string | null;
  originalDueDate: string | null;
  closedBy: string | null;
  silencedBy: string | null;
  pendingDeviation: unknown;
  deviation: Record<string, unknown> | null;
};

const newStay = (admittedAt: string) =>
  registerStay(h, { residentRef: 'R-FID-API', institutionId: INST, bydelId: BYDEL, admittedAt });
const send = (method: 'POST' | 'PUT', url: string, headers: Record<string, string>, payload: unknown = {}) =>
  h.app.inject({ method, url, headers, payload: payload as object });
const milestone = (stay: { milestones: Milestone[] }, key: string) => stay.milestones.find((m) => m.key === key)!;

describe('a closed stay', () => {
  it('answers 409 stay-closed at once to every command, with a clear detail; an administrator reopens it', async () => {
    const admitted = addOffset(today(), { days: -30 });
    const stay = await newStay(admitted);
    const ended = addOffset(today(), { days: -2 });
    expect(
      (await send('POST', `/api/stays/${stay.id}/events/ended-early`, inst(), { date: ended, reason: 'left' }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await send('POST', `/api/stays/${stay.id}/milestones/final-report`, inst(), {
          doneAt: today(),
          sentToBydel: true,
        })
      ).statusCode,
    ).toBe(200);

    const part = { responsible: 'bydel', status: 'in-progress' };
    const commands: [string, 'POST' | 'PUT', string, Record<string, string>, unknown][] = [
      ['complete', 'POST', 'milestones/plan-started', inst(), { doneAt: today() }],
      ['insufficient', 'POST', 'milestones/status-report/insufficient', byd(), {}],
      [
        'event',
        'POST',
        'events/housing-offered',
        byd(),
        { date: today(), hasBooppfolgingDecision: false, housingConditionalOnFollowUp: false },
      ],
      [
        'deviation',
        'POST',
        'deviations',
        inst(),
        {
          milestone: 'final-report',
          dueDate: addOffset(today(), { days: 9 }),
          reason: 'late',
          agreedBy: 'institution',
        },
      ],
      ['confirm', 'POST', 'deviations/final-report/confirm', byd(), {}],
      [
        'exit plan',
        'PUT',
        'exit-plan',
        byd(),
        {
          parts: Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, part])),
          contingencyPlanConsidered: true,
        },
      ],
      ['extra report', 'POST', 'extra-status-reports', inst(), { dueDate: addOffset(today(), { days: 10 }) }],
      [
        'correction',
        'POST',
        'corrections',
        inst(),
        { target: { milestone: 'final-report' }, action: 'withdraw', reason: 'withdrawn by mistake' },
      ],
    ];
    for (const [name, method, path, headers, payload] of commands) {
      const started = Date.now();
      const res = await send(method, `/api/stays/${stay.id}/${path}`, headers, payload);
      expect(res.statusCode, name).toBe(409);
      expect(res.json().code, name).toBe('stay-closed');
      expect(res.json().detail, name).toContain(
        `ended early on ${ended} (left) and its final report was recorded on ${today()}`,
      );
      expect(Date.now() - started, name).toBeLessThan(3_000);
    }

    // an administrator's correction reopens it: the workflow leaves its retention wait and answers at once
    const started = Date.now();
    const reopened = await send('POST', `/api/stays/${stay.id}/corrections`, admin(), {
      target: { milestone: 'final-report' },
      action: 'withdraw',
      reason: 'recorded on the wrong stay',
    });
    expect(reopened.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(milestone(reopened.json(), 'final-report')).toMatchObject({ dueDate: addOffset(ended, { days: 21 }) });
    const history = await h.app.inject({ url: `/api/stays/${stay.id}/history?action=stay.reopened`, headers: admin() });
    expect(history.json().items).toHaveLength(1);
    // it closes again with the report, and refuses again
    expect(
      (
        await send('POST', `/api/stays/${stay.id}/milestones/final-report`, inst(), {
          doneAt: today(),
          sentToBydel: true,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await send('POST', `/api/stays/${stay.id}/extra-status-reports`, inst(), { dueDate: today() })).statusCode,
    ).toBe(409);
  });
});

describe('deviations agreed by both', () => {
  it('wait for the other party, who confirms through the API; who of each party confirmed is on the stay', async () => {
    const stay = await newStay(addOffset(today(), { days: -5 }));
    const proposed = await send('POST', `/api/stays/${stay.id}/deviations`, inst(), {
      milestone: 'plan-started',
      dueDate: addOffset(today(), { days: 20 }),
      reason: 'resident in hospital',
      agreedBy: 'both',
    });
    expect(proposed.statusCode).toBe(200);
    const before = milestone(proposed.json(), 'plan-started');
    expect(before.dueDate).toBe(addOffset(today(), { days: 9 }));
    expect(before.pendingDeviation).toMatchObject({ proposedBy: { party: 'institution', sub: 'user-institution' } });

    const own = await send('POST', `/api/stays/${stay.id}/deviations/plan-started/confirm`, inst());
    expect(own.statusCode).toBe(403);
    expect(own.json().detail).toContain('a user of the bydel confirms it');
    const confirmed = await send('POST', `/api/stays/${stay.id}/deviations/plan-started/confirm`, byd());
    expect(confirmed.statusCode).toBe(200);
    expect(milestone(confirmed.json(), 'plan-started')).toMatchObject({
      dueDate: addOffset(today(), { days: 20 }),
      pendingDeviation: null,
      deviation: {
        agreedBy: 'both',
        confirmedBy: { institution: { sub: 'user-institution' }, bydel: { sub: 'user-bydel' } },
      },
    });
    const again = await send('POST', `/api/stays/${stay.id}/deviations/plan-started/confirm`, byd());
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('nothing-to-confirm');

    // the first meeting moved by agreement stated on behalf of both: the housing mapping follows it
    const moved = await send('POST', `/api/stays/${stay.id}/deviations`, byd(), {
      milestone: 'first-meeting',
      dueDate: addOffset(today(), { days: 40 }),
      reason: 'resident away',
      agreedBy: 'both',
      onBehalfOfBoth: true,
    });
    expect(moved.statusCode).toBe(200);
    expect(milestone(moved.json(), 'housing-mapping')).toMatchObject({
      dueDate: addOffset(today(), { days: 40 }),
      originalDueDate: addOffset(today(), { days: 23 }),
    });
    expect(milestone(moved.json(), 'first-meeting').deviation).toMatchObject({
      statedOnBehalfOfBoth: { sub: 'user-bydel', role: 'bydel' },
    });
  });
});

describe('rules a person can act on', () => {
  it('refuses a housing meeting the status report did not come in good time before (422, says how to proceed)', async () => {
    const stay = await newStay(addOffset(today(), { months: -5 }));
    const report = {
      doneAt: addOffset(today(), { days: -3 }),
      recommendedHousing: 'municipal',
      followUpNeed: 'booppfolging',
      residentWishesRecorded: true,
      professionalAssessmentRecorded: true,
    };
    expect((await send('POST', `/api/stays/${stay.id}/milestones/status-report`, inst(), report)).statusCode).toBe(200);
    const meeting = { doneAt: today(), applicationsAgreed: [] };
    const refused = await send('POST', `/api/stays/${stay.id}/milestones/housing-meeting`, inst(), meeting);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'not-in-good-time' });
    expect(refused.json().detail).toContain('statusReportLateAgreed');
    const agreed = await send('POST', `/api/stays/${stay.id}/milestones/housing-meeting`, inst(), {
      ...meeting,
      statusReportLateAgreed: true,
    });
    expect(agreed.statusCode).toBe(200);
  });

  it('supersedes the housing track with an offer, shown on the stay; move-in-recorded is settled by an event', async () => {
    const stay = await newStay(addOffset(today(), { months: -3 }));
    const offered = await send('POST', `/api/stays/${stay.id}/events/housing-offered`, byd(), {
      date: today(),
      hasBooppfolgingDecision: false,
      housingConditionalOnFollowUp: false,
    });
    expect(offered.statusCode).toBe(200);
    expect(milestone(offered.json(), 'status-report').closedBy).toBe('superseded-by-housing-offer');
    expect(milestone(offered.json(), 'applications')).toMatchObject({
      dueDate: null,
      silencedBy: 'no-deadline-after-housing-offer',
    });
    expect((await send('POST', `/api/stays/${stay.id}/events/discharged`, inst(), { date: today() })).statusCode).toBe(
      200,
    );
    const settled = await send('POST', `/api/stays/${stay.id}/milestones/move-in-recorded`, byd(), { doneAt: today() });
    expect(settled.statusCode).toBe(409);
    expect(settled.json()).toMatchObject({ code: 'settled-by-event' });
    const ended = await send('POST', `/api/stays/${stay.id}/events/ended-early`, byd(), {
      date: today(),
      reason: 'discharged-without-housing',
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().status).toBe('ended');
  });
});

describe('GET /api/config/rules', () => {
  it('serves the running interpretations with their §§, and each deadline counted with them', async () => {
    const res = await h.app.inject({ url: '/api/config/rules', headers: byd() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rulesVersion).toBe(3);
    expect(body.interpretations).toEqual(DEFAULT_INTERPRETATIONS);
    expect(body.interpretationRules.find((r: { key: string }) => r.key === 'statusReportGoodTimeDays')).toMatchObject({
      value: 7,
      section: '§2.2',
      env: 'RULE_STATUS_REPORT_GOOD_TIME_DAYS',
    });
    expect(body.milestones.find((m: { key: string }) => m.key === 'cooperation-meeting').deadline).toContain(
      'then every 2 months while none is held',
    );
    expect((await h.app.inject({ url: '/api/config/rules' })).statusCode).toBe(401);
    const stay = await newStay(today());
    expect(stay).toMatchObject({ rulesVersion: 3, interpretations: DEFAULT_INTERPRETATIONS });
  });
});
