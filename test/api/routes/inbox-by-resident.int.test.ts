import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { eventually } from '../../support/eventually';
import { registerOrganisations } from '../../support/organisations';
import { putContacts, registerStay } from '../../support/stays';

/** The inbox read as one line per missed deadline, grouped by resident, and paged without splitting the order. */
const run = Math.random().toString(36).slice(2, 8);
const INST = `inst-inbox-res-${run}`;
const BYDEL = 'bydel-inbox-res';
const today = osloDate(Date.now());

type Item = { id: string; stayId: string; residentRef: string; milestone: string; level: string; dueDate: string };
const RANK: Record<string, number> = { reminder: 1, overdue: 2, 'second-level': 3 };

let h: Harness;
const stays: Record<string, string> = {};
const asInst = () => h.auth('institution', INST);
const inbox = async (query: string) => {
  const res = await h.app.inject({ url: `/api/inbox?${query}`, headers: asInst() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; total: number };
};

beforeAll(async () => {
  h = await startApiHarness();
  await registerOrganisations(h, BYDEL);
  // older stays have more and higher alarms: 45 days (second level), 22 days (overdue and reminders)
  for (const [ref, days] of [
    [`R-OLD-${run}`, 45],
    [`R-NEW-${run}`, 22],
  ] as const) {
    stays[ref] = (
      await registerStay(h, {
        residentRef: ref,
        institutionId: INST,
        bydelId: BYDEL,
        admittedAt: addOffset(today, { days: -days }),
      })
    ).id;
  }
  await eventually(async () => {
    const { items } = await inbox('limit=200');
    expect(new Set(items.map((i) => i.stayId)).size).toBe(2);
    expect(items.filter((i) => i.stayId === stays[`R-OLD-${run}`]).map((i) => i.level)).toEqual([
      'second-level',
      'second-level',
      'second-level',
    ]);
    expect(items.filter((i) => i.stayId === stays[`R-NEW-${run}`]).length).toBeGreaterThanOrEqual(3);
  });
});
afterAll(() => h?.close());

describe('GET /api/inbox?sort=resident', () => {
  it("keeps each resident's deadlines together, the resident with the highest level first, worst deadline first", async () => {
    const { items } = await inbox('sort=resident&limit=200');
    expect(
      items.every((i) => i.residentRef === (i.stayId === stays[`R-OLD-${run}`] ? `R-OLD-${run}` : `R-NEW-${run}`)),
    ).toBe(true);
    const order = items.map((i) => i.stayId).filter((id, i, all) => all[i - 1] !== id);
    expect(order).toEqual([stays[`R-OLD-${run}`], stays[`R-NEW-${run}`]]);
    const younger = items.filter((i) => i.stayId === stays[`R-NEW-${run}`]);
    const sorted = [...younger].sort(
      (a, b) =>
        RANK[b.level]! - RANK[a.level]! || a.dueDate.localeCompare(b.dueDate) || a.milestone.localeCompare(b.milestone),
    );
    expect(younger.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
  });

  it('pages in the same order: the pages together are the whole list, each item once', async () => {
    const all = await inbox('sort=resident&limit=200');
    const paged: Item[] = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const page = await inbox(`sort=resident&limit=2&offset=${offset}`);
      expect(page.total).toBe(all.total);
      paged.push(...page.items);
    }
    expect(paged.map((i) => i.id)).toEqual(all.items.map((i) => i.id));
  });

  it('filters to the residents where the caller is one of the contacts', async () => {
    await putContacts(h, stays[`R-NEW-${run}`]!, asInst(), [
      { role: 'primary-contact', name: 'Kari Primær', organisationId: INST, userId: 'user-institution' },
    ]);
    const mine = await inbox('sort=resident&myResidents=true&limit=200');
    expect(new Set(mine.items.map((i) => i.stayId))).toEqual(new Set([stays[`R-NEW-${run}`]]));
    const level = await inbox('sort=resident&kind=second-level&limit=200');
    expect(new Set(level.items.map((i) => i.stayId))).toEqual(new Set([stays[`R-OLD-${run}`]]));
    const milestone = await inbox('sort=resident&milestone=plan-started&limit=200');
    expect(milestone.items.map((i) => i.milestone)).toEqual(['plan-started', 'plan-started']);
  });
});
