import { describe, expect, it } from 'vitest';
import { describeDetails } from '../../ui/src/texts';

describe('describeDetails', () => {
  it('names the organisations of a record, as the page around it does, instead of showing their ids', () => {
    const names: Record<string, string> = { 'bydel-sagene': 'Bydel Sagene', 'inst-1': 'Tyrili Oslo' };
    const nameOf = (id: string) => names[id] ?? id;
    expect(
      describeDetails(
        'stay-registered',
        { bydelId: 'bydel-sagene', institutionId: 'inst-1', admittedAt: '2026-10-22' },
        nameOf,
      ),
    ).toEqual(expect.arrayContaining(['Bydel: Bydel Sagene', 'Institusjon: Tyrili Oslo', 'Innskrevet: 22.10.2026']));
    expect(describeDetails('event:housing-offered', { receivingBydelId: 'bydel-sagene' }, nameOf)).toEqual([
      'Ny bydel, om beboeren flytter til en annen bydel: Bydel Sagene',
    ]);
  });
});
