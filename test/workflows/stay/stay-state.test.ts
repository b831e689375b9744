import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETATIONS } from '../../../rules/interpretations';
import { isRefusal, STAY_COMMANDS, type StayCommandInput } from '../../../workflows/stay/definitions';
import { effectiveRecords } from '../../../workflows/stay/corrections';
import { fold } from '../../../workflows/stay/fold';
import { StayState } from '../../../workflows/stay/stay-state';
import type { Actor, RegisterStayInput, StayCommand } from '../../../workflows/stay/types';

type CompleteMilestoneInput = StayCommandInput<'completeMilestone'>;
type MarkInsufficientInput = StayCommandInput<'markStatusReportInsufficient'>;

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Oslo' }).toMillis();
const staff: Actor = { sub: 'u1', role: 'institution', org: 'inst-1' };
let n = 0;
const ids = () => `id-${++n}`;

const registration = (over: Partial<RegisterStayInput> = {}): RegisterStayInput => ({
  stayId: '00000000-0000-4000-8000-000000000001',
  residentRef: 'R-123',
  institutionId: 'inst-1',
  bydelId: 'bydel-frogner',
  admittedAt: '2026-01-31',
  interpretations: DEFAULT_INTERPRETATIONS,
  actor: staff,
  ...over,
});

/** The Update inputs as the workflow receives them. */
const checkCompletion = (state: StayState, input: CompleteMilestoneInput, now: number) => {
  const c = STAY_COMMANDS.completeMilestone.rules.toCommand(input);
  return isRefusal(c) ? c : state.check(c, input.actor, now);
};
const complete = (state: StayState, input: CompleteMilestoneInput, now: number) => {
  const c = STAY_COMMANDS.completeMilestone.rules.toCommand(input);
  if (isRefusal(c)) throw new Error(c.message);
  state.accept(c, input.actor, now);
};
const checkInsufficient = (state: StayState, input: MarkInsufficientInput, now: number) => {
  const c = STAY_COMMANDS.markStatusReportInsufficient.rules.toCommand(input);
  return isRefusal(c) ? c : state.check(c, input.actor, now);
};

const due = (state: StayState) => Object.fromEntries(state.toReadModel().milestones.map((m) => [m.key, m.dueDate]));

describe('StayState', () => {
  it('gives the in-stay due dates of §2 from the admission date', () => {
    const state = StayState.register(registration(), at('2026-01-31T10:00'));
    expect(due(state)).toEqual({
      'plan-started': '2026-02-14',
      'housing-mapping': '2026-02-28',
      'first-meeting': '2026-02-28',
      'status-report': '2026-05-31',
      'housing-meeting': '2026-06-30',
      applications: '2026-07-31',
      // before any meeting: two months after the first meeting's deadline (rules version 3)
      'cooperation-meeting': '2026-04-28',
    });
    // a history registered before rules version 3 replays with none
    expect(due(StayState.register(registration(), at('2026-01-31T10:00'), 2))['cooperation-meeting']).toBeNull();
  });

  it('refuses the first meeting before the housing mapping, and one dated before the mapping', () => {
    const state = StayState.register(registration(), at('2026-03-10T10:00'));
    const now = at('2026-03-10T10:00');
    expect(checkCompletion(state, { key: 'first-meeting', doneAt: '2026-02-20', actor: staff }, now)?.code).toBe(
      'prerequisite-missing',
    );
    complete(state, { key: 'housing-mapping', doneAt: '2026-02-21', actor: staff }, now);
    expect(checkCompletion(state, { key: 'first-meeting', doneAt: '2026-02-20', actor: staff }, now)?.code).toBe(
      'date-before-prerequisite',
    );
    expect(checkCompletion(state, { key: 'first-meeting', doneAt: '2026-02-21', actor: staff }, now)).toBeNull();
  });

  it('refuses dates before admission, in the future, unknown keys and a second completion', () => {
    const now = at('2026-02-10T12:00');
    const state = StayState.register(registration(), now);
    const check = (key: string, doneAt: string) =>
      checkCompletion(state, { key, doneAt, actor: staff }, now)?.code ?? null;
    expect(check('plan-started', '2026-01-30')).toBe('date-before-admission');
    expect(check('plan-started', '2026-02-11')).toBe('date-in-future');
    expect(check('plan-started', '2026-02-10')).toBeNull();
    expect(check('no-such-thing', '2026-02-10')).toBe('unknown-milestone');
    complete(state, { key: 'plan-started', doneAt: '2026-02-10', actor: staff }, now);
    expect(check('plan-started', '2026-02-10')).toBe('already-done');
  });

  it('walks the ladder: reminder 7 days before, overdue the day after, second level to both 14 days later, each once', () => {
    const state = StayState.register(registration(), at('2026-01-31T10:00'));
    const kinds = () => state.toReadModel().escalations.map((e) => `${e.milestone}:${e.kind}:${e.recipient}`);
    expect(state.nextDeadlineAt(at('2026-01-31T10:00'))).toBe(at('2026-02-07T00:00'));
    expect(state.raiseEscalations(at('2026-02-06T23:59'), ids)).toBe(0);
    expect(state.raiseEscalations(at('2026-02-07T00:00'), ids)).toBe(1);
    expect(state.raiseEscalations(at('2026-02-14T23:59'), ids)).toBe(0);
    expect(state.raiseEscalations(at('2026-02-15T00:00'), ids)).toBe(1);
    expect(state.raiseEscalations(at('2026-02-16T00:00'), ids)).toBe(0);
    expect(state.raiseEscalations(at('2026-02-21T00:00'), ids)).toBe(2);
    expect(state.raiseEscalations(at('2026-03-01T00:00'), ids)).toBe(3);
    expect(kinds()).toEqual([
      'plan-started:reminder:institution',
      'plan-started:overdue:institution',
      'housing-mapping:reminder:institution',
      'first-meeting:reminder:institution',
      'plan-started:second-level:both',
      'housing-mapping:overdue:institution',
      'first-meeting:overdue:institution',
    ]);
  });

  it('stops the ladder when the milestone is done, and reminds only once of a recommendation', () => {
    const state = StayState.register(registration(), at('2026-01-31T10:00'));
    state.raiseEscalations(at('2026-02-07T00:00'), ids);
    complete(state, { key: 'plan-started', doneAt: '2026-02-08', actor: staff }, at('2026-02-08T10:00'));
    state.raiseEscalations(at('2026-03-20T00:00'), ids);
    expect(
      state
        .toReadModel()
        .escalations.filter((e) => e.milestone === 'plan-started')
        .map((e) => e.kind),
    ).toEqual(['reminder']);
  });

  it('raises only the missed deadline for stays replaying without the ladder (first releases)', () => {
    const state = StayState.register(registration(), at('2026-01-31T10:00'));
    expect(state.nextDeadlineAt(at('2026-01-31T10:00'), false)).toBe(at('2026-02-15T00:00'));
    expect(state.raiseEscalations(at('2026-03-20T00:00'), ids, false)).toBe(3);
  });

  it('onboards a stay admitted long ago: all missed deadlines are raised at once, done ones are not', () => {
    const now = at('2026-08-15T09:00');
    const state = StayState.register(
      registration({
        admittedAt: '2026-02-01',
        completed: { 'plan-started': '2026-02-10', 'housing-mapping': '2026-02-20', 'first-meeting': '2026-02-25' },
      }),
      now,
    );
    state.raiseEscalations(now, ids);
    const kinds = state
      .toReadModel()
      .escalations.map((e) => `${e.milestone}:${e.kind}`)
      .sort();
    expect(kinds).toEqual([
      'applications:overdue',
      'cooperation-meeting:reminder',
      'housing-meeting:overdue',
      'housing-meeting:second-level',
      'status-report:overdue',
      'status-report:second-level',
    ]);
  });

  it('refuses onboarding that breaks a rule', () => {
    const refusal = StayState.validateRegistration(
      registration({ admittedAt: '2026-02-01', completed: { 'first-meeting': '2026-02-25' } }),
      at('2026-08-15T09:00'),
    );
    expect(refusal?.code).toBe('prerequisite-missing');
    expect(
      StayState.validateRegistration(registration({ admittedAt: '2026-09-01' }), at('2026-08-15T09:00'))?.code,
    ).toBe('date-in-future');
  });

  it('opens status-report-causes when the report is marked insufficient, due after the configured interpretation', () => {
    const now = at('2026-06-10T09:00');
    const state = StayState.register(
      registration({ admittedAt: '2026-02-01', completed: { 'status-report': '2026-05-20' } }),
      now,
    );
    expect(checkCompletion(state, { key: 'status-report-causes', doneAt: '2026-06-01', actor: staff }, now)?.code).toBe(
      'not-open',
    );
    const insufficient = STAY_COMMANDS.markStatusReportInsufficient.rules.toCommand({
      date: '2026-06-01',
      actor: staff,
    });
    if (isRefusal(insufficient)) throw new Error(insufficient.message);
    state.accept(insufficient, { sub: 'b', role: 'bydel', org: 'bydel-frogner' }, now);
    expect(due(state)['status-report-causes']).toBe('2026-06-15');
    expect(checkInsufficient(state, { date: '2026-06-02', actor: staff }, now)?.code).toBe('already-done');
  });

  it('moves the recurring cooperation meeting two months after the latest meeting, and only reminds', () => {
    const now = at('2026-05-01T09:00');
    const state = StayState.register(
      registration({
        admittedAt: '2026-01-31',
        completed: { 'housing-mapping': '2026-02-10', 'first-meeting': '2026-02-12' },
      }),
      now,
    );
    expect(due(state)['cooperation-meeting']).toBe('2026-04-12');
    complete(state, { key: 'cooperation-meeting', doneAt: '2026-04-20', actor: staff }, now);
    expect(due(state)['cooperation-meeting']).toBe('2026-06-20');
    const row = state.toReadModel().milestones.find((m) => m.key === 'cooperation-meeting');
    expect(row).toMatchObject({
      escalates: false,
      recurring: true,
      doneAt: null,
      details: { occurrences: ['2026-04-20'] },
    });
  });
});

describe('StayState after each command', () => {
  it('is the fold of every effective record, whether the command was applied alone or everything refolded', () => {
    const bydelUser: Actor = { sub: 'b1', role: 'bydel', org: 'bydel-frogner' };
    const now = at('2026-06-01T10:00');
    const state = StayState.register(
      registration({ admittedAt: '2026-01-31', completed: { 'plan-started': '2026-02-05' } }),
      now,
    );
    const refolded = () => fold(state.snapshot, effectiveRecords(state.snapshot.records));
    const steps: [StayCommand, Actor][] = [
      [{ type: 'complete-milestone', key: 'housing-mapping', doneAt: '2026-02-10', details: null }, staff],
      [{ type: 'complete-milestone', key: 'first-meeting', doneAt: '2026-02-12', details: null }, staff],
      [
        {
          type: 'event',
          event: {
            type: 'housing-offered',
            date: '2026-05-20',
            hasBooppfolgingDecision: true,
            housingConditionalOnFollowUp: false,
          },
        },
        bydelUser,
      ],
      [
        {
          type: 'correction',
          target: { milestone: 'first-meeting' },
          action: 'change-date',
          date: '2026-02-11',
          reason: 'typo',
        },
        staff,
      ],
      [{ type: 'complete-milestone', key: 'cooperation-meeting', doneAt: '2026-04-20', details: null }, staff],
      [
        {
          type: 'correction',
          target: { event: 'housing-offered' },
          action: 'withdraw',
          date: null,
          reason: 'wrong stay',
        },
        bydelUser,
      ],
    ];
    for (const [command, actor] of steps) {
      state.accept(command, actor, now);
      expect(state.stay).toEqual(refolded());
    }
    expect(state.rollRecurring(at('2026-09-01T10:00'))).toBeGreaterThan(0);
    expect(state.stay).toEqual(refolded());
  });
});

describe('StayState corrections', () => {
  const bydelUser: Actor = { sub: 'b1', role: 'bydel', org: 'bydel-frogner' };
  const now = at('2026-04-01T10:00');
  const offered = () => {
    const state = StayState.register(registration({ admittedAt: '2026-01-31' }), now);
    state.accept(
      {
        type: 'event',
        event: {
          type: 'housing-offered',
          date: '2026-03-20',
          hasBooppfolgingDecision: true,
          housingConditionalOnFollowUp: false,
        },
      },
      bydelUser,
      now,
    );
    return state;
  };

  it('withdrawing housing-offered gives convening back to the institution and closes what the offer opened', () => {
    const state = offered();
    expect(state.stay.convener).toBe('bydel');
    const withdraw = {
      type: 'correction',
      target: { event: 'housing-offered' },
      action: 'withdraw',
      date: null,
      reason: 'registered on the wrong resident',
    } as const;
    expect(state.check(withdraw, staff, now)?.code).toBe('not-permitted');
    state.accept(withdraw, bydelUser, now);
    expect(state.stay.convener).toBe('institution');
    expect(state.toReadModel().milestones.map((m) => m.key)).not.toContain('exit-meeting');
    expect(state.snapshot.records).toHaveLength(2); // nothing erased: the correction is a record of its own
  });

  it('re-dates a completion, and an admin may correct what another organisation recorded', () => {
    const state = StayState.register(registration({ admittedAt: '2026-01-31' }), now);
    complete(state, { key: 'plan-started', doneAt: '2026-02-20', actor: staff }, now);
    state.accept(
      {
        type: 'correction',
        target: { milestone: 'plan-started' },
        action: 'change-date',
        date: '2026-02-10',
        reason: 'typo',
      },
      { sub: 'a', role: 'admin', org: null },
      now,
    );
    expect(state.toReadModel().milestones.find((m) => m.key === 'plan-started')?.doneAt).toBe('2026-02-10');
  });

  it('refuses a correction that would break a later record', () => {
    const state = StayState.register(registration({ admittedAt: '2026-01-31' }), now);
    complete(state, { key: 'housing-mapping', doneAt: '2026-02-10', actor: staff }, now);
    complete(state, { key: 'first-meeting', doneAt: '2026-02-12', actor: staff }, now);
    const refusal = state.check(
      {
        type: 'correction',
        target: { milestone: 'housing-mapping' },
        action: 'withdraw',
        date: null,
        reason: 'not done after all',
      },
      staff,
      now,
    );
    expect(refusal?.code).toBe('correction-breaks-rules');
    expect(refusal?.message).toMatch(/first-meeting.*housing-mapping/);
    const nothing = state.check(
      { type: 'correction', target: { milestone: 'status-report' }, action: 'withdraw', date: null, reason: 'x' },
      staff,
      now,
    );
    expect(nothing?.code).toBe('nothing-to-correct');
  });

  it('refuses discharge before housing is offered, pointing to ended-early', () => {
    const state = StayState.register(registration({ admittedAt: '2026-01-31' }), now);
    const refusal = state.check({ type: 'event', event: { type: 'discharged', date: '2026-03-01' } }, staff, now);
    expect(refusal?.code).toBe('prerequisite-missing');
    expect(refusal?.message).toMatch(/ended-early/);
  });

  it('continues a stay from a first-release snapshot (continue-as-new across the upgrade)', () => {
    const v1 = {
      stayId: 's',
      residentRef: 'R',
      institutionId: 'inst-1',
      bydelId: 'b',
      admittedAt: '2026-01-31',
      interpretations: { statusReportCausesDays: 14, cooperationMeetingIntervalMonths: 2 },
      rulesVersion: 1,
      createdAt: '2026-01-31T10:00:00Z',
      updatedAt: '2026-03-01T10:00:00Z',
      revision: 4,
      auditSeq: 5,
      outbox: { audit: [], escalations: [] },
      milestones: [
        {
          key: 'plan-started',
          openedOn: '2026-01-31',
          doneAt: '2026-02-10',
          details: null,
          occurrences: [],
          raised: [],
        },
        {
          key: 'housing-mapping',
          openedOn: '2026-01-31',
          doneAt: null,
          details: null,
          occurrences: [],
          raised: ['overdue:2026-02-28'],
        },
      ],
    } as unknown as Parameters<typeof StayState.fromSnapshot>[0];
    const state = StayState.fromSnapshot(v1);
    expect(state.snapshot.version).toBe(2);
    expect(state.toReadModel().milestones.find((m) => m.key === 'plan-started')?.doneAt).toBe('2026-02-10');
    expect(state.raiseEscalations(at('2026-03-02T10:00'), ids, false)).toBe(1); // first-meeting only: the mapping was raised before
    expect(state.snapshot.interpretations.exitMeetingDays).toBe(7);
  });
});

describe('StayState audit trail', () => {
  it('records what an exit-plan edit changed, before → after', () => {
    const now = at('2026-04-01T10:00');
    const state = StayState.register(registration({ admittedAt: '2026-01-31' }), now);
    const part = (status: string) => ({ responsible: 'bydel', status });
    const parts = (finances: string) =>
      ({
        'contact-persons': part('done'),
        'tasks-before-moving-in': part('in-progress'),
        'chores-in-the-home': part('not-started'),
        finances: part(finances),
        neighbourhood: part('not-started'),
        'activities-and-contact': part('not-started'),
        'substance-use-management': part('in-progress'),
        'transition-agreement': part('not-started'),
      }) as never;
    const bydelUser: Actor = { sub: 'b', role: 'bydel', org: 'bydel-frogner' };
    state.accept(
      { type: 'exit-plan', plan: { parts: parts('not-started'), contingencyPlanConsidered: false } },
      bydelUser,
      now,
    );
    state.accept(
      { type: 'exit-plan', plan: { parts: parts('done'), contingencyPlanConsidered: true } },
      bydelUser,
      now,
    );
    const last = state.toReadModel().audit.at(-1)!;
    expect(last).toMatchObject({ action: 'exit-plan.updated', details: { created: false } });
    expect(last.details!.changes).toEqual({
      finances: { from: { responsible: 'bydel', status: 'not-started' }, to: { responsible: 'bydel', status: 'done' } },
      contingencyPlanConsidered: { from: false, to: true },
    });
  });
});
