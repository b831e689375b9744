import { describe, expect, it } from 'vitest';
import { rulesOf } from '../../../workflows/stay/command-registry';
import { STAY_COMMANDS, stayIdFromWorkflowId, stayWorkflowId } from '../../../workflows/stay/definitions';
import type { StayCommand } from '../../../workflows/stay/types';

describe('stay workflow definitions', () => {
  it('names a stay workflow by the stay id and reads the stay id back from it', () => {
    const stayId = '0b7f3c1e-1d2a-4c3b-8e9f-0123456789ab';
    expect(stayWorkflowId(stayId)).toBe(`stay:${stayId}`);
    expect(stayIdFromWorkflowId(stayWorkflowId(stayId))).toBe(stayId);
    expect(stayIdFromWorkflowId('notification-dispatcher:stay-transition')).toBeNull();
  });

  it('keeps the Update names that recorded histories carry', () => {
    expect(Object.values(STAY_COMMANDS).map((c) => c.update.name)).toEqual([
      'complete-milestone',
      'mark-status-report-insufficient',
      'record-event',
      'agree-deviation',
      'confirm-deviation',
      'update-exit-plan',
      'agree-extra-status-report',
      'correct-record',
    ]);
  });
});

describe('stay command registry', () => {
  it('finds the rules of every command by its type: each row of the table, and what the workflow records itself', () => {
    const sent = Object.values(STAY_COMMANDS).map((c) => c.rules.type);
    expect(new Set(sent).size).toBe(sent.length);
    const types: StayCommand['type'][] = [...sent, 'recurring-due-passed', 'stay-completed'];
    for (const type of types) expect(rulesOf({ type } as StayCommand).type).toBe(type);
    expect(() => rulesOf({ type: 'no-such-command' } as unknown as StayCommand)).toThrow(/no rules/);
  });
});
