import { describe, expect, it } from 'vitest';
import { DeviationBody, EVENT_BODIES } from '../../schemas/stays';
import { completionBodySchema } from '../../rules/milestone-details';
import { DEFAULT_INTERPRETATIONS } from '../../rules/interpretations';
import { MILESTONE_RULES } from '../../rules/milestones';
import { MILESTONE_KEYS, STAY_EVENT_TYPES } from '../../rules/types';
import { ApiError } from '../../ui/src/api-error';
import { previewDeadlines } from '../../ui/src/deadline-preview';
import { problemToFormErrors } from '../../ui/src/errors';
import { formatDate, parseDateInput } from '../../ui/src/format';
import { completionSpecs, kindFinder, specsOf, toBody, type Spec } from '../../ui/src/forms/specs';
import { StayState } from '../../workflows/stay/stay-state';
import { EVENT_TITLES, fieldLabel, milestoneTitle, VALUE_LABELS } from '../../ui/src/texts';

/** Every field (and list-item field) of a form, with its path. */
const walk = (specs: Spec[], prefix = ''): [string, Spec][] =>
  specs.flatMap((s) => [[`${prefix}${s.name}`, s] as [string, Spec], ...walk(s.item ?? [], `${prefix}${s.name}.*.`)]);

describe('web app forms follow the API schemas', () => {
  it('has a completion form for every milestone, every field labelled in Norwegian and every choice translated', () => {
    for (const key of MILESTONE_KEYS) {
      const specs = completionSpecs(key);
      expect(specs, key).not.toBeNull();
      expect(specs![0]!.name, key).toBe('doneAt');
      for (const [path, spec] of walk(specs!)) {
        expect(fieldLabel(key, spec.name), `${key}.${path} needs a Norwegian label in ui/src/texts.ts`).not.toBe(
          spec.name,
        );
        for (const option of spec.options ?? [])
          expect(VALUE_LABELS[option], `${key}.${path}: "${option}" needs a label`).toBeTruthy();
      }
      expect(milestoneTitle(key), key).not.toBe(key);
    }
  });

  it('labels every field of every §3 event and of a deviation', () => {
    for (const type of STAY_EVENT_TYPES) {
      expect(EVENT_TITLES[type], type).toBeTruthy();
      for (const [path, spec] of walk(specsOf(EVENT_BODIES[type]))) {
        expect(fieldLabel(`event:${type}`, spec.name), `${type}.${path}`).not.toBe(spec.name);
        for (const option of spec.options ?? [])
          expect(VALUE_LABELS[option], `${type}.${path}: "${option}"`).toBeTruthy();
      }
    }
    for (const spec of specsOf(DeviationBody).filter((s) => s.name !== 'milestone')) {
      expect(fieldLabel('deviation', spec.name)).not.toBe(spec.name);
    }
  });

  it('turns a filled-in form into a body the API accepts, leaving unanswered optional fields out', () => {
    const specs = completionSpecs('housing-mapping')!;
    const body = toBody(specs, {
      doneAt: '03.02.2026',
      needsHelpObtainingHousing: 'nei',
      followUpNeed: 'booppfolging',
      financesMapped: true,
      otherFactorsMapped: true,
      individualPlan: 'offered',
    });
    expect(body).toEqual({
      doneAt: '2026-02-03',
      needsHelpObtainingHousing: false,
      followUpNeed: 'booppfolging',
      financesMapped: true,
      otherFactorsMapped: true,
      individualPlan: 'offered',
    });
    expect(completionBodySchema('housing-mapping').safeParse(body).success).toBe(true);

    const applications = toBody(completionSpecs('applications')!, {
      doneAt: '1.3.2026',
      applications: [{ type: 'startlan', responsible: 'bydel', sentAt: '28.02.2026' }],
    });
    expect(completionBodySchema('applications').parse(applications)).toEqual({
      doneAt: '2026-03-01',
      applications: [{ type: 'startlan', responsible: 'bydel', sentAt: '2026-02-28' }],
    });
    expect(toBody(completionSpecs('plan-started')!, { doneAt: '', residentInvolved: '', bydelInvolved: 'ja' })).toEqual(
      { bydelInvolved: true },
    );
  });

  it('reads dates as dd.mm.åååå and shows them the same way', () => {
    expect(parseDateInput(' 5.1.2026 ')).toBe('2026-01-05');
    expect(parseDateInput('2026-01-05')).toBe('2026-01-05');
    expect(parseDateInput('31.02.2026')).toBe('2026-02-31'); // passed on as typed; the API refuses it next to the field
    expect(formatDate('2026-01-05')).toBe('05.01.2026');
  });
});

describe('API refusals become Norwegian messages next to their field', () => {
  const problem = (p: object) => new ApiError({ status: 400, title: 'Bad Request', detail: 'x', ...p });

  it('places validation errors by path, list items included', () => {
    const specs = completionSpecs('applications')!;
    const errors = problemToFormErrors(
      problem({
        errors: [
          { path: 'body.applications.0.sentAt', message: 'must be a calendar date YYYY-MM-DD' },
          { path: 'body.doneAt', message: 'Invalid input' },
        ],
      }),
      { kindOf: kindFinder(specs) },
    );
    expect(errors.fields).toEqual({
      'applications.0.sentAt': 'Skriv en gyldig dato på formen dd.mm.åååå.',
      doneAt: 'Skriv en gyldig dato på formen dd.mm.åååå.',
    });
    expect(errors.form).toBeUndefined();
  });

  it('says why a resident reference that looks like a fødselsnummer is refused', () => {
    const errors = problemToFormErrors(
      problem({
        errors: [{ path: 'body.residentRef', message: 'looks like a national identity number (11 digits); use …' }],
      }),
      {
        kindOf: () => 'text',
      },
    );
    expect(errors.fields.residentRef).toContain('fødselsnummer');
  });

  it('puts a date refusal on the date field and a missing prerequisite on the form, in Norwegian', () => {
    const date = problemToFormErrors(
      new ApiError({ status: 422, title: 'x', detail: 'x', code: 'date-before-admission' }),
      {
        kindOf: () => undefined,
        dateField: 'doneAt',
        admittedAt: '2026-01-10',
      },
    );
    expect(date.fields).toEqual({ doneAt: 'Datoen kan ikke være før innskrivingen (10.01.2026).' });
    const prerequisite = problemToFormErrors(
      new ApiError({ status: 422, title: 'x', detail: 'x', code: 'prerequisite-missing' }),
      {
        kindOf: () => undefined,
        requires: ['status-report'],
      },
    );
    expect(prerequisite.form).toBe('«Statusrapport» må registreres som fullført først.');
    expect(
      problemToFormErrors(new ApiError({ status: 404, title: 'x', detail: 'x' }), { kindOf: () => undefined }).form,
    ).toContain('Fant ikke');
  });
});

describe('deadline preview', () => {
  it('gives every admission deadline as the rule table counts it, months clamped to month end', () => {
    const rows = previewDeadlines('2026-10-31', {}, '2026-11-01', DEFAULT_INTERPRETATIONS);
    const due = Object.fromEntries(rows.map((r) => [r.rule.key, r.due]));
    expect(due['plan-started']).toBe('2026-11-14');
    expect(due['status-report']).toBe('2027-02-28');
    expect(due['housing-meeting']).toBe('2027-03-31');
    // before any meeting, the cooperation meeting counts from the first meeting's deadline (rules version 3)
    expect(rows.find((r) => r.rule.key === 'cooperation-meeting')).toMatchObject({
      due: '2027-01-28',
      tone: 'pending',
      note: expect.stringContaining('hver 2. måned'),
    });
    for (const rule of MILESTONE_RULES.filter((r) => r.due.from !== 'admission' && !r.recurring)) {
      const row = rows.find((r) => r.rule.key === rule.key)!;
      expect(row.tone, rule.key).toBe('later');
      expect(row.note, `${rule.key} needs a note saying when its deadline starts`).toBeTruthy();
    }
  });

  it('marks passed deadlines of a backdated stay as overdue and onboarded ones as done', () => {
    const rows = previewDeadlines(
      '2026-01-01',
      { 'plan-started': '2026-01-10' },
      '2026-03-01',
      DEFAULT_INTERPRETATIONS,
    );
    const tone = Object.fromEntries(rows.map((r) => [r.rule.key, r.tone]));
    expect(tone['plan-started']).toBe('done');
    expect(tone['housing-mapping']).toBe('overdue');
    expect(tone['status-report']).toBe('pending');
  });

  it('counts with the configured interpretations, to the day the registered stay gets', () => {
    const interpretations = { ...DEFAULT_INTERPRETATIONS, cooperationMeetingIntervalMonths: 3 };
    const completed = { 'plan-started': '2026-01-10', 'housing-mapping': '2026-01-15', 'first-meeting': '2026-01-20' };
    const rows = previewDeadlines('2026-01-05', completed, '2026-02-01', interpretations);
    const due = Object.fromEntries(rows.map((r) => [r.rule.key, r.due]));
    expect(due['cooperation-meeting']).toBe('2026-04-20');
    const stay = StayState.register(
      {
        stayId: 'preview-agrees',
        residentRef: 'R-1',
        institutionId: 'inst-1',
        bydelId: 'bydel-1',
        admittedAt: '2026-01-05',
        completed,
        interpretations,
        actor: { sub: 'u', role: 'institution', org: 'inst-1' },
      },
      Date.parse('2026-02-01T12:00:00Z'),
    );
    for (const m of stay.toReadModel().milestones) {
      if (m.doneAt === null) expect(due[m.key], m.key).toBe(m.dueDate);
    }
  });

  it('follows "good time" and a recurring interval that already passed, as the workflow counts them', () => {
    const interpretations = {
      ...DEFAULT_INTERPRETATIONS,
      cooperationMeetingIntervalMonths: 3,
      statusReportGoodTimeDays: 45,
    };
    const completed = { 'plan-started': '2026-01-10', 'housing-mapping': '2026-01-15', 'first-meeting': '2026-01-20' };
    const today = '2026-08-01';
    const rows = previewDeadlines('2026-01-05', completed, today, interpretations);
    const due = Object.fromEntries(rows.map((r) => [r.rule.key, r.due]));
    // 45 days before the housing meeting (2026-06-05) is earlier than 4 months (2026-05-05)
    expect(due['status-report']).toBe('2026-04-21');
    // three months after the first meeting passed twice without a meeting: the next interval
    expect(due['cooperation-meeting']).toBe('2026-10-20');
    expect(rows.find((r) => r.rule.key === 'cooperation-meeting')?.note).toContain('hver 3. måned');
    const stay = StayState.register(
      {
        stayId: 'preview-agrees-2',
        residentRef: 'R-2',
        institutionId: 'inst-1',
        bydelId: 'bydel-1',
        admittedAt: '2026-01-05',
        completed,
        interpretations,
        actor: { sub: 'u', role: 'institution', org: 'inst-1' },
      },
      Date.parse(`${today}T12:00:00Z`),
    );
    stay.rollRecurring(Date.parse(`${today}T12:00:00Z`));
    for (const m of stay.toReadModel().milestones) {
      if (m.doneAt === null) expect(due[m.key], m.key).toBe(m.dueDate);
    }
  });
});
