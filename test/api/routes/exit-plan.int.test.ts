import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_PLAN_PARTS } from '../../../rules/exit-plan';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { registerOrganisations } from '../../support/organisations';
import { putContacts, registerStay } from '../../support/stays';

/** The exit plan with content (§3.2, vedlegg 1): tasks per part, contact persons, the kriseplan, who pays a kept place. */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-exitplan-${run}`;
const BYDEL = 'bydel-exitplan-a';
const today = osloDate(Date.now());

let h: Harness;
let stayId: string;
let kari: string;
let bo: string;

const asInst = (org = INST) => h.auth('institution', org);
const asBydel = (org = BYDEL) => h.auth('bydel', org);
const put = (plan: unknown, headers: Record<string, string> = asBydel()) =>
  h.app.inject({ method: 'PUT', url: `/api/stays/${stayId}/exit-plan`, headers, payload: plan as object });
const stay = async () => (await h.app.inject({ url: `/api/stays/${stayId}`, headers: asInst() })).json();
const PARTS = () =>
  Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, { responsible: 'bydel', status: 'in-progress' }])) as Record<
    string,
    Record<string, unknown>
  >;

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  ({ id: stayId } = await registerStay(h, {
    residentRef: `R-EXITPLAN-${run.toUpperCase()}`,
    institutionId: INST,
    bydelId: BYDEL,
    admittedAt: addOffset(today, { months: -6 }),
  }));
  const contacts = await putContacts(h, stayId, asInst(), [
    { role: 'primary-contact', name: 'Kari Primær', organisationId: INST, phone: '+47 22 33 44 55' },
    { role: 'housing-follow-up-worker', name: 'Bo Oppfølger', organisationId: BYDEL, phone: '90011223' },
  ]);
  [kari, bo] = contacts.map((c) => c.id);
});
afterAll(() => h?.close());

describe('PUT /api/stays/:id/exit-plan with content', () => {
  it('records named tasks with owner and date, contact persons, the kriseplan and "ingen betaling"; audited part by part', async () => {
    const parts = PARTS();
    parts['contact-persons'] = { responsible: 'bydel', status: 'done', contactIds: [kari, bo] };
    parts.finances = {
      responsible: 'bydel',
      status: 'in-progress',
      tasks: [
        { title: 'Søke bostøtte', owner: 'resident', dueOn: addOffset(today, { days: 14 }) },
        { title: 'Avtale om husleietrekk', owner: 'bydel', ownerContactId: bo, done: true },
        { title: 'Time hos NAV', owner: 'other', ownerName: 'NAV-veileder' },
      ],
    };
    parts['contingency-plan'] = {
      status: 'made',
      steps: [{ title: 'Ringe booppfølger ved tilbakefall', owner: 'resident', ownerContactId: bo }],
      contactIds: [bo, kari],
      reviewOn: addOffset(today, { months: 1 }),
    };
    const plan = {
      parts,
      contingencyPlanConsidered: true,
      keepPlace: { kind: 'day-place', daysPerWeek: 2, until: addOffset(today, { months: 2 }), paidBy: 'none' },
    };
    const res = await put(plan);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().transition.exitPlan).toEqual(plan);

    const audit = (
      await h.app.inject({ url: `/api/stays/${stayId}/history?action=exit-plan`, headers: h.auth('admin') })
    ).json().items;
    expect(audit.at(-1).details.changes).toMatchObject({
      finances: { from: null, to: parts.finances },
      'contingency-plan': { from: null, to: parts['contingency-plan'] },
      'contact-persons': { to: { contactIds: [kari, bo] } },
      keepPlace: { from: null, to: plan.keepPlace },
    });

    // editing one task is audited as that part's before → after
    const edited = structuredClone(parts);
    (edited.finances!.tasks as Array<Record<string, unknown>>)[0]!.done = true;
    expect((await put({ ...plan, parts: edited }, asInst())).statusCode).toBe(200);
    const last = (
      await h.app.inject({ url: `/api/stays/${stayId}/history?action=exit-plan`, headers: h.auth('admin') })
    )
      .json()
      .items.at(-1);
    expect(Object.keys(last.details.changes)).toEqual(['finances']);
  });

  it('still takes a plan of the first shape (a status per part only)', async () => {
    const res = await put({ parts: PARTS(), contingencyPlanConsidered: false });
    expect(res.statusCode).toBe(200);
    expect(res.json().transition.exitPlan.parts.finances).toEqual({ responsible: 'bydel', status: 'in-progress' });
  });

  it('refuses long free text, too many tasks and people who are not contacts of the stay, and changes nothing', async () => {
    const before = await stay();
    const cases: Array<[Record<string, unknown>, number, string]> = [];
    const longTitle = PARTS();
    longTitle.finances!.tasks = [{ title: 'x'.repeat(121), owner: 'bydel' }];
    cases.push([longTitle, 400, 'body.parts.finances.tasks.0.title']);
    const longName = PARTS();
    longName.finances!.tasks = [{ title: 'Bank', owner: 'other', ownerName: 'y'.repeat(81) }];
    cases.push([longName, 400, 'body.parts.finances.tasks.0.ownerName']);
    const tooMany = PARTS();
    tooMany.neighbourhood!.tasks = Array.from({ length: 11 }, (_, i) => ({ title: `Oppgave ${i}`, owner: 'bydel' }));
    cases.push([tooMany, 400, 'body.parts.neighbourhood.tasks']);
    const twice = PARTS();
    twice.finances!.tasks = [
      { title: 'Søke bostøtte', owner: 'bydel' },
      { title: 'søke bostøtte', owner: 'resident' },
    ];
    cases.push([twice, 422, 'body.parts.finances.tasks.1.title']);
    const notAContact = PARTS();
    notAContact['contact-persons']!.contactIds = [kari, '00000000-0000-4000-8000-000000000000'];
    cases.push([notAContact, 422, 'body.parts.contact-persons.contactIds.1']);
    const ownerNotAContact = PARTS();
    ownerNotAContact['contingency-plan'] = {
      status: 'to-be-made',
      steps: [{ title: 'Ring', owner: 'bydel', ownerContactId: '00000000-0000-4000-8000-000000000001' }],
    };
    cases.push([ownerNotAContact, 422, 'body.parts.contingency-plan.steps.0.ownerContactId']);
    const badKriseplan = PARTS();
    badKriseplan['contingency-plan'] = { status: 'maybe' };
    cases.push([badKriseplan, 400, 'body.parts.contingency-plan.status']);
    for (const [parts, status, path] of cases) {
      const res = await put({ parts, contingencyPlanConsidered: true });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const paidByNobodyElse = await put({
      parts: PARTS(),
      contingencyPlanConsidered: true,
      keepPlace: { kind: 'day-place', daysPerWeek: 2, until: today, paidBy: 'the state' },
    });
    expect(paidByNobodyElse.statusCode).toBe(400);
    expect((await stay()).revision).toBe(before.revision);
  });

  it('answers 404 outside the scope', async () => {
    expect((await put({ parts: PARTS(), contingencyPlanConsidered: true }, asInst('inst-elsewhere'))).statusCode).toBe(
      404,
    );
    expect(
      (await put({ parts: PARTS(), contingencyPlanConsidered: true }, asBydel('bydel-elsewhere'))).statusCode,
    ).toBe(404);
  });
});
