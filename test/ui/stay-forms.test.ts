import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ExtraStatusReportBody } from '../../schemas/stays';
import { EXIT_PLAN_PARTS, ExitPlan } from '../../rules/exit-plan';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { StayState } from '../../workflows/stay/stay-state';
import type { Actor, StayCommand } from '../../workflows/stay/types';
import { ApiError } from '../../ui/src/api-error';
import { fieldMessage, problemToFormErrors } from '../../ui/src/errors';
import { kindFinder, specsOf, toBody } from '../../ui/src/forms/specs';
import {
  brokenRuleMessage,
  checkCorrection,
  correctionErrors,
  REASON_MESSAGE,
} from '../../ui/src/stay/correction-errors';
import { fieldLabel, KEEP_PLACE_PAID_BY, VALUE_LABELS } from '../../ui/src/texts';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Oslo' }).toMillis();
const staff: Actor = { sub: 'u1', role: 'institution', org: 'inst-1' };
const NOW = at('2026-03-10T10:00');
const MAPPING = {
  needsHelpObtainingHousing: true,
  followUpNeed: 'booppfolging',
  financesMapped: true,
  otherFactorsMapped: true,
  individualPlan: 'offered',
};

/** A stay with the housing mapping and the first meeting (which builds on it) done, and housing offered. */
function stay() {
  const state = StayState.register(
    {
      stayId: '00000000-0000-4000-8000-000000000002',
      residentRef: 'R-1',
      institutionId: 'inst-1',
      bydelId: 'bydel-frogner',
      admittedAt: '2026-01-31',
      interpretations: DEFAULT_INTERPRETATIONS,
      actor: staff,
    },
    at('2026-02-01T10:00'),
  );
  const accept = (c: StayCommand) => state.accept(c, staff, NOW);
  accept({ type: 'complete-milestone', key: 'housing-mapping', doneAt: '2026-02-20', details: MAPPING });
  accept({ type: 'complete-milestone', key: 'first-meeting', doneAt: '2026-02-25', details: { bydelAttended: true } });
  accept({
    type: 'event',
    event: {
      type: 'housing-offered',
      date: '2026-03-01',
      hasBooppfolgingDecision: false,
      housingConditionalOnFollowUp: false,
    },
  });
  accept({ type: 'event', event: { type: 'discharged', date: '2026-03-05' } });
  return state;
}

/** The refusal the API would send for this correction, as the web app receives it. */
function refused(correction: Omit<Extract<StayCommand, { type: 'correction' }>, 'type' | 'reason'>, actor = staff) {
  const r = stay().check({ type: 'correction', reason: 'feil registrert', ...correction }, actor, NOW);
  expect(r, JSON.stringify(correction)).not.toBeNull();
  return new ApiError({ status: 422, title: 'x', detail: r!.message, code: r!.code });
}

describe('corrections: the workflow’s refusals in Norwegian, next to their field', () => {
  it('names the later milestone that builds on a withdrawn one, next to the action', () => {
    const errors = correctionErrors(
      refused({ target: { milestone: 'housing-mapping' }, action: 'withdraw', date: null }),
      { action: 'withdraw' },
    );
    expect(errors.fields).toEqual({
      action:
        '«Første samarbeidsmøte» er registrert og bygger på «Kartlegging av boligsituasjon». Korriger eller trekk tilbake «Første samarbeidsmøte» først.',
    });
  });

  it('puts a date that would come after a later milestone on the date field', () => {
    const errors = correctionErrors(
      refused({ target: { milestone: 'housing-mapping' }, action: 'change-date', date: '2026-02-28' }),
      { action: 'change-date' },
    );
    expect(errors.fields.date).toBe(
      '«Første samarbeidsmøte» (25.02.2026) må komme etter «Kartlegging av boligsituasjon». Velg en dato til og med 25.02.2026, eller korriger «Første samarbeidsmøte» først.',
    );
  });

  it('explains future dates, dates before admission and withdrawn events later ones build on', () => {
    const future = correctionErrors(
      refused({ target: { milestone: 'first-meeting' }, action: 'change-date', date: '2026-04-01' }),
      { action: 'change-date' },
    );
    expect(future.fields.date).toBe('Datoen kan ikke være fram i tid.');
    const early = correctionErrors(
      refused({ target: { milestone: 'housing-mapping' }, action: 'change-date', date: '2026-01-10' }),
      { action: 'change-date', admittedAt: '2026-01-31' },
    );
    expect(early.fields.date).toBe('Datoen kan ikke være før innskrivingen (31.01.2026).');
    const offer = correctionErrors(refused({ target: { event: 'housing-offered' }, action: 'withdraw', date: null }), {
      action: 'withdraw',
    });
    expect(offer.fields.action).toContain('bygger på «Bolig tilbudt»');
    const discharge = correctionErrors(
      refused({ target: { event: 'discharged' }, action: 'change-date', date: '2026-02-27' }),
      { action: 'change-date' },
    );
    expect(discharge.fields.date).toBe('Datoen kan ikke være før 01.03.2026, da boligen ble tilbudt.');
  });

  it('tells another organisation that only the recording one or an administrator may correct', () => {
    const other = refused(
      { target: { milestone: 'housing-mapping' }, action: 'withdraw', date: null },
      { sub: 'b', role: 'bydel', org: 'bydel-frogner' },
    );
    expect(other.problem.code).toBe('not-permitted');
    expect(correctionErrors(other, { action: 'withdraw' }).form).toContain('Bare organisasjonen som registrerte dette');
    const same = refused({ target: { milestone: 'housing-mapping' }, action: 'change-date', date: '2026-02-20' });
    expect(correctionErrors(same, { action: 'change-date' }).fields.date).toContain('allerede');
  });

  it('never shows the English detail, whatever rule it is', () => {
    expect(brokenRuleMessage('After this correction the stay would break a rule: Something nobody foresaw.')).toMatch(
      /^Korrigeringen ville gjort/,
    );
    const invalid = new ApiError({
      status: 400,
      title: 'x',
      detail: 'x',
      errors: [{ path: 'body.reason', message: 'Too small: expected string to have >=3 characters' }],
    });
    expect(correctionErrors(invalid, { action: 'withdraw' }).fields).toEqual({ reason: REASON_MESSAGE });
  });

  it('asks for the action and a reason before anything is sent', () => {
    expect(checkCorrection({ action: '', date: '', reason: ' x ' })).toEqual({
      action: expect.stringContaining('Velg'),
      reason: REASON_MESSAGE,
    });
    expect(checkCorrection({ action: 'change-date', date: '', reason: 'skrevet feil' })).toEqual({
      date: expect.stringContaining('dd.mm.åååå'),
    });
    expect(checkCorrection({ action: 'withdraw', date: '', reason: 'skrevet feil' })).toEqual({});
  });
});

describe('exit plan: keeping the institution place or a day place (§3.2)', () => {
  const keepSpecs = specsOf(ExitPlan.shape.keepPlace.unwrap().unwrap());

  it('has a Norwegian label for every field and value, and the number field knows its bounds', () => {
    expect(keepSpecs.map((s) => [s.name, s.kind])).toEqual([
      ['kind', 'choice'],
      ['daysPerWeek', 'number'],
      ['until', 'date'],
      ['paidBy', 'choice'],
    ]);
    expect(keepSpecs.find((s) => s.name === 'daysPerWeek')).toMatchObject({ min: 1, max: 7 });
    for (const spec of keepSpecs) {
      expect(fieldLabel('exit-plan:keepPlace', spec.name), spec.name).not.toBe(spec.name);
      const labels = spec.name === 'paidBy' ? KEEP_PLACE_PAID_BY : VALUE_LABELS;
      for (const option of spec.options ?? []) expect(labels[option], option).toBeTruthy();
    }
    expect(KEEP_PLACE_PAID_BY.none).toBe('Ingen betaling');
  });

  it('turns the filled-in fields into a plan the API accepts, and a number out of range into a message by the field', () => {
    const keepPlace = toBody(keepSpecs, {
      kind: 'day-place',
      daysPerWeek: ' 2 ',
      until: '01.06.2026',
      paidBy: 'bydel',
    });
    expect(keepPlace).toEqual({ kind: 'day-place', daysPerWeek: 2, until: '2026-06-01', paidBy: 'bydel' });
    const parts = Object.fromEntries(EXIT_PLAN_PARTS.map((p) => [p, { responsible: 'bydel', status: 'in-progress' }]));
    expect(
      ExitPlan.safeParse({ parts, contingencyPlanConsidered: true, keepPlace, participationEndsOn: '2026-07-01' })
        .success,
    ).toBe(true);

    // what was typed goes to the API as typed; its refusal is placed on the field
    expect(toBody(keepSpecs, { kind: '', daysPerWeek: 'to', until: '', paidBy: '' })).toEqual({ daysPerWeek: 'to' });
    const tooMany = ExitPlan.safeParse({
      parts,
      contingencyPlanConsidered: true,
      keepPlace: { ...keepPlace, daysPerWeek: 9 },
    });
    const issue = tooMany.error!.issues[0]!;
    expect(issue.path.join('.')).toBe('keepPlace.daysPerWeek');
    expect(fieldMessage('number', issue.message)).toBe('Tallet kan ikke være større enn 7.');
    const zero = ExitPlan.safeParse({
      parts,
      contingencyPlanConsidered: true,
      keepPlace: { ...keepPlace, daysPerWeek: 0 },
    });
    expect(fieldMessage('number', zero.error!.issues[0]!.message)).toBe('Tallet må være minst 1.');
    expect(fieldMessage('number', 'Invalid input: expected number, received string')).toBe('Skriv et helt tall.');
  });
});

describe('extra status report', () => {
  it('is a date field with a Norwegian label, and its refusals have their own wording', () => {
    const specs = specsOf(ExtraStatusReportBody);
    expect(specs.map((s) => [s.name, s.kind])).toEqual([['dueDate', 'date']]);
    expect(fieldLabel('extra-status-report:agree', 'dueDate')).toBe('Frist for den ekstra statusrapporten');
    const passed = problemToFormErrors(
      new ApiError({ status: 422, title: 'x', detail: 'x', code: 'date-before-prerequisite' }),
      {
        kindOf: kindFinder(specs),
        dateField: 'dueDate',
        messages: { 'date-before-prerequisite': { field: 'dueDate', message: 'Fristen har allerede passert.' } },
      },
    );
    expect(passed.fields).toEqual({ dueDate: 'Fristen har allerede passert.' });
  });
});
