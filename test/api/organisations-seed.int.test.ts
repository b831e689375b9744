import { describe, expect, it } from 'vitest';
import { createPool } from '../../config/database';
import { createOrganisations, seedDemoInstitutions } from '../../api/plugins/app/organisations';
import { createIsolatedDatabase } from '../support/isolated-database';

describe('the organisation register after migration 0007', () => {
  it('holds the 15 bydeler and no institution; npm start adds the demo institutions once, and only to an empty register', async () => {
    const db = await createIsolatedDatabase();
    const pool = createPool(db.url, 2);
    try {
      const register = createOrganisations(pool);
      const bydeler = await register.list({ kind: 'bydel' });
      expect(bydeler).toHaveLength(15);
      expect(bydeler.every((b) => b.active && /^bydel-[a-z-]+$/.test(b.id) && b.name.startsWith('Bydel '))).toBe(true);
      expect(await register.list({ kind: 'institution' })).toEqual([]);

      expect(await seedDemoInstitutions(pool)).toBe(3);
      expect((await register.list({ kind: 'institution' })).map((o) => [o.id, o.name])).toEqual([
        ['inst-1', 'Institusjon 1 (demo)'],
        ['inst-2', 'Institusjon 2 (demo)'],
        ['inst-3', 'Institusjon 3 (demo)'],
      ]);
      expect((await register.history('inst-1'))[0]).toMatchObject({
        action: 'organisation.created',
        actor: { sub: 'npm start (demo data)', role: 'system' },
      });
      expect(await seedDemoInstitutions(pool)).toBe(0);

      // a register with a real institution gets no demo data, even after the demo ones are deactivated or gone
      await pool.query("DELETE FROM organisation_events WHERE org_id LIKE 'inst-%'");
      await pool.query("DELETE FROM organisations WHERE kind = 'institution'");
      await register.create(
        { id: 'inst-real', kind: 'institution', name: 'Ekte institusjon' },
        { sub: 'admin', role: 'admin' },
      );
      expect(await seedDemoInstitutions(pool)).toBe(0);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
