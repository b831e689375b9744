import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSignature } from '../../../activities/notifications/channels';
import { createNotificationActivities } from '../../../activities/notifications/deliver';
import { createForecastDigestActivities, isoWeekOf } from '../../../activities/notifications/forecast-digest';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { createForecast } from '../../../api/repositories/forecast';
import { Delivery } from '../../../schemas/notifications';
import { createPool } from '../../../config/database';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import {
  notify,
  registerOrgs,
  type SeededStay,
  seedStay,
  testSecrets,
  WEBHOOK_SECRET,
} from '../../support/forecast-fixtures';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver, startWebhookReceiver } from '../../support/notification-receivers';

const norwegian = (iso: string) => iso.split('-').reverse().join('.');

/**
 * The weekly forecast digest's content and scope, without Temporal: the activities the digest workflow and the
 * dispatcher call, on their own migrated database (the digest reads every organisation), with a real SMTP server and
 * a real webhook receiver. Hand-computed: institution A was late with 2 of its last 3 first meetings.
 */
describe('weekly forecast digest: content and scope', () => {
  let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let pool: Pool;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const today = osloDate(Date.now());
  const day = (n: number) => addOffset(today, { days: n });
  const week = isoWeekOf(today);
  let a1: SeededStay;
  let b1: SeededStay;
  let c1: SeededStay;

  beforeAll(async () => {
    [db, smtp, hook] = await Promise.all([createIsolatedDatabase(), startSmtpReceiver(), startWebhookReceiver()]);
    pool = createPool(db.url, 5);
    await registerOrgs(pool, [
      { id: 'inst-fd-a', kind: 'institution', name: 'Sollia behandlingssenter' },
      { id: 'inst-fd-b', kind: 'institution', name: 'Fjellhaug' },
      { id: 'inst-fd-none', kind: 'institution', name: 'Stille vann' },
    ]);
    await notify(
      pool,
      'inst-fd-a',
      [
        { email: 'koord@a.test', role: 'coordinator' },
        { email: 'leder@a.test', role: 'leader' },
      ],
      hook.url,
    );
    await notify(pool, 'bydel-alna', [{ email: 'koord@alna.test', role: 'coordinator' }]);
    await notify(pool, 'inst-fd-b', [{ email: 'koord@b.test', role: 'coordinator' }]);
    await notify(pool, 'inst-fd-none', [{ email: 'koord@none.test', role: 'coordinator' }]);
    // institution A's record with first meetings: late, late, on time
    for (const doneAt of [day(-50), day(-55), day(-61)])
      await seedStay(pool, { institutionId: 'inst-fd-a', bydelId: 'bydel-grorud' }, [
        { key: 'first-meeting', dueDate: day(-60), doneAt },
      ]);
    a1 = await seedStay(pool, { institutionId: 'inst-fd-a', bydelId: 'bydel-alna' }, [
      { key: 'plan-started', dueDate: day(3) },
      { key: 'first-meeting', dueDate: day(5) },
      { key: 'housing-meeting', dueDate: day(20) }, // beyond the 14 days
    ]);
    b1 = await seedStay(pool, { institutionId: 'inst-fd-b', bydelId: 'bydel-alna' }, [
      { key: 'plan-started', dueDate: day(1) },
    ]);
    c1 = await seedStay(pool, { institutionId: 'inst-fd-b', bydelId: 'bydel-grorud' }, [
      { key: 'first-meeting', dueDate: day(2) },
    ]);
  });
  afterAll(async () => {
    await pool?.end();
    await Promise.all([smtp?.close(), hook?.close()]);
    await db?.drop();
  });

  const digests = async () =>
    (
      await pool.query<{ org_id: string; iso_week: string; items: { stayId: string; milestone: string }[] }>(
        'SELECT org_id, iso_week, items FROM forecast_digests ORDER BY org_id',
      )
    ).rows.map((d) => ({ org: d.org_id, week: d.iso_week, items: d.items.map((i) => `${i.stayId}:${i.milestone}`) }));

  it('makes one digest per organisation for the week, its own stays only, ranked as the forecast ranks them', async () => {
    const made = await createForecastDigestActivities(pool).enqueueForecastDigests({ now: new Date().toISOString() });
    expect(made).toEqual({ week, made: 4, sent: 3 });
    expect(await digests()).toEqual([
      // the bydel sees both institutions' stays of its own; A's first meeting first (A is usually late with it)
      {
        org: 'bydel-alna',
        week,
        items: [`${a1.id}:first-meeting`, `${b1.id}:plan-started`, `${a1.id}:plan-started`],
      },
      { org: 'inst-fd-a', week, items: [`${a1.id}:first-meeting`, `${a1.id}:plan-started`] },
      { org: 'inst-fd-b', week, items: [`${b1.id}:plan-started`, `${c1.id}:first-meeting`] },
      { org: 'inst-fd-none', week, items: [] },
    ]);
    // the same order as GET /api/reports/forecast gives the organisation's users
    const report = await createForecast(pool, () => today).forecast({ institutionId: 'inst-fd-a' });
    expect(report.items.map((i) => `${i.stayId}:${i.milestone}`)).toEqual([
      `${a1.id}:first-meeting`,
      `${a1.id}:plan-started`,
    ]);

    // nothing twice: the same week again (a retried activity, a restarted worker) adds no digest and no outbox row
    const outbox = async () =>
      (await pool.query('SELECT count(*)::int AS n FROM notification_outbox WHERE forecast_digest_id IS NOT NULL'))
        .rows[0].n;
    expect(await outbox()).toBe(5); // A: 2 e-mails + webhook; Alna: 1; B: 1; nobody at the one with nothing
    expect(
      await createForecastDigestActivities(pool).enqueueForecastDigests({ now: new Date().toISOString() }),
    ).toEqual({ week, made: 0, sent: 0 });
    expect(await outbox()).toBe(5);
  });

  it('delivers it in Norwegian, naming organisations, without the resident; the webhook carries residentRef; scope as of sending', async () => {
    // after the digest was made, stay A1 is handed over to Bydel Grorud: Alna no longer gets it
    await seedStay(
      pool,
      { id: a1.id, residentRef: a1.residentRef, institutionId: 'inst-fd-a', bydelId: 'bydel-grorud' },
      [
        { key: 'plan-started', dueDate: day(3) },
        { key: 'first-meeting', dueDate: day(5) },
        { key: 'housing-meeting', dueDate: day(20) },
      ],
      2,
    );
    const notifications = createNotificationActivities(pool, {
      smtpUrl: smtp.url,
      mailFrom: 'Oppholdsløpet <varsel@test>',
      appBaseUrl: 'https://app.test',
      secrets: testSecrets,
      webhooks: EMBEDDED_WEBHOOKS,
    });
    const due = await notifications.pollOutbox({ now: new Date().toISOString(), exclude: [], limit: 100 });
    expect(due.notifications).toHaveLength(5);
    for (const id of due.notifications) expect(await notifications.deliverNotification(id)).toBe('sent');
    for (const id of due.notifications) expect(await notifications.deliverNotification(id)).toBe('already-sent');

    const to = (email: string) => smtp.mails.filter((m) => m.to.includes(email));
    expect(smtp.mails).toHaveLength(4);
    expect(to('koord@none.test')).toEqual([]);
    const [mail] = to('koord@a.test');
    expect(to('leder@a.test')).toHaveLength(1);
    const weekNo = Number(week.slice(6));
    expect(mail!.subject).toBe(
      `Ukeoversikt uke ${weekNo}: 2 frister de neste 14 dagene uten noe planlagt (1 kan bli forsinket)`,
    );
    const text = mail!.text;
    expect(text).toContain(
      `Dette er ukeoversikten for Sollia behandlingssenter, uke ${weekNo}: fristene fra ${norwegian(today)} til og med ${norwegian(day(14))}`,
    );
    const first = text.indexOf(`1. «Første samarbeidsmøte» – frist ${norwegian(day(5))}, ansvar: institusjonen.`);
    const second = text.indexOf(`2. «Arbeid med plan for oppholdet startet» – frist ${norwegian(day(3))}`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(text).toContain('Kan bli forsinket: 2 av 3 slike frister det siste året ble forsinket (67 %).');
    expect(text).toContain('Ingen tidligere frister å sammenligne med.');
    expect(text).toContain(`Sollia behandlingssenter, Bydel Grorud. Se oppholdet: https://app.test/opphold/${a1.id}`);
    expect(text).not.toContain('Boligmøte');
    for (const s of [a1, b1, c1]) expect(smtp.mails.some((m) => m.text.includes(s.residentRef))).toBe(false);

    // Alna: only B1 now, the stay that left it is gone from its digest
    const alna = to('koord@alna.test')[0]!;
    expect(alna.subject).toBe(`Ukeoversikt uke ${weekNo}: 1 frist de neste 14 dagene uten noe planlagt`);
    expect(alna.text).toContain(`opphold/${b1.id}`);
    expect(alna.text).not.toContain(a1.id);
    // institution B: its two stays, never A's
    const b = to('koord@b.test')[0]!;
    expect(b.text).toContain(`opphold/${b1.id}`);
    expect(b.text).toContain(`opphold/${c1.id}`);
    expect(b.text).not.toContain(a1.id);

    expect(hook.calls).toHaveLength(1);
    const call = hook.calls[0]!;
    expect(call.headers['x-signature']).toBe(webhookSignature(WEBHOOK_SECRET, call.body));
    expect(call.json).toMatchObject({ kind: 'forecast-digest', organisationId: 'inst-fd-a', week, asOf: today });
    expect(call.json.items).toEqual([
      expect.objectContaining({
        stayId: a1.id,
        residentRef: a1.residentRef,
        milestone: 'first-meeting',
        dueDate: day(5),
        bydelId: 'bydel-grorud',
        risk: 'likely-late',
        lateShare: 0.6667,
        decided: 3,
        link: `https://app.test/opphold/${a1.id}`,
      }),
      expect.objectContaining({ stayId: a1.id, milestone: 'plan-started', risk: 'no-history', lateShare: null }),
    ]);

    // an administrator's outbox list shows them as the organisation's weekly digest, about no one stay
    const listed = await createNotificationSettings(pool).listOutbox({ status: 'sent', limit: 50, offset: 0 });
    const entry = listed.items.find((d) => d.recipient === 'koord@a.test')!;
    expect(Delivery.parse(entry)).toMatchObject({ kind: 'forecast-digest', stayId: null, dueDate: today });
    expect(entry.forecastDigestId).toEqual(expect.any(String));
  });

  it('cancels a digest none of whose stays is the organisation’s any more', async () => {
    await pool.query('DELETE FROM forecast_digests');
    await seedStay(
      pool,
      { id: b1.id, residentRef: b1.residentRef, institutionId: 'inst-fd-b', bydelId: 'bydel-alna' },
      [{ key: 'plan-started', dueDate: day(1) }],
      3,
    );
    await createForecastDigestActivities(pool).enqueueForecastDigests({ now: new Date().toISOString() });
    const row = await pool.query<{ id: string }>(
      `SELECT o.id FROM notification_outbox o JOIN forecast_digests f ON f.id = o.forecast_digest_id WHERE f.org_id = 'bydel-alna'`,
    );
    await seedStay(
      pool,
      { id: b1.id, residentRef: b1.residentRef, institutionId: 'inst-fd-b', bydelId: 'bydel-grorud' },
      [{ key: 'plan-started', dueDate: day(1) }],
      4,
    );
    const notifications = createNotificationActivities(pool, {
      smtpUrl: smtp.url,
      mailFrom: 'Oppholdsløpet <varsel@test>',
      appBaseUrl: 'https://app.test',
    });
    const before = smtp.mails.length;
    expect(await notifications.deliverNotification(row.rows[0]!.id)).toBe('gone');
    expect(smtp.mails.length).toBe(before);
    const status = await pool.query('SELECT status FROM notification_outbox WHERE id = $1', [row.rows[0]!.id]);
    expect(status.rows[0].status).toBe('cancelled');
  });
});
