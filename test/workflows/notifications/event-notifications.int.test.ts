import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadModelActivities } from '../../../activities/read-model/sync-stay';
import { createNotificationSettings } from '../../../api/plugins/app/notification-settings';
import { EMBEDDED_WEBHOOKS } from '../../../config/webhook-target';
import { addOffset, osloDate } from '../../../rules/oslo-calendar';
import {
  notificationDispatcherWorkflow,
  notificationDispatcherWorkflowId,
} from '../../../workflows/notifications/dispatcher-workflow';
import type { AuditEntry, ReadModelSync } from '../../../workflows/stay/types';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { eventually } from '../../support/eventually';
import { createIsolatedDatabase } from '../../support/isolated-database';
import { startSmtpReceiver, startWebhookReceiver } from '../../support/notification-receivers';
import { registerOrganisations } from '../../support/organisations';
import { putContacts, registerStay } from '../../support/stays';

/**
 * §3 "involveres så tidlig som mulig": every hand-over notifies the party that must act, through the outbox, once —
 * with the real API, worker, Temporal, dispatcher, an SMTP server and a webhook receiver. A retried read-model write
 * (what a worker restart does) and a retried meeting change notify nobody again.
 */
const INST = 'inst-events';
const FROM = 'bydel-events-a';
const TO = 'bydel-events-b';
const REF = 'R-EVENTS-0001';
const today = osloDate(Date.now());

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let h: Harness;
let stayId: string;
let booppfolgerId: string;

const asInst = () => h.auth('institution', INST);
const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
/** The stay is months old: the bydel also gets its reminders and escalations, which are not what this test is about. */
const eventMailsTo = (address: string) => mailsTo(address).filter((m) => !/^(Påminnelse|Frist|Daglig)/.test(m.subject));
const outboxCount = async () => Number((await h.pool.query('SELECT count(*) AS n FROM notification_outbox')).rows[0].n);

/** What the stay workflow's read-model write does again when its activity is retried (after a worker restart). */
async function retryReadModelWrite(action: string, milestone: string | null = null) {
  const audit = await h.pool.query(
    `SELECT seq, at, actor_sub, actor_role, actor_org, action, milestone, details FROM audit_events
      WHERE stay_id = $1 AND action = $2 AND milestone IS NOT DISTINCT FROM $3`,
    [stayId, action, milestone],
  );
  const stay = await h.pool.query('SELECT * FROM stays WHERE id = $1', [stayId]);
  const s = stay.rows[0];
  const sync: ReadModelSync = {
    stay: {
      id: stayId,
      residentRef: s.resident_ref,
      institutionId: s.institution_id,
      bydelId: s.bydel_id,
      admittedAt: s.admitted_at,
      status: s.status,
      convener: s.convener,
      // an old revision: the guard keeps the newer state, the audit entries are offered again
      revision: 1,
      createdAt: s.created_at.toISOString(),
      updatedAt: s.updated_at.toISOString(),
    },
    milestones: [],
    audit: audit.rows.map(
      (a): AuditEntry => ({
        seq: a.seq,
        at: a.at.toISOString(),
        actor: { sub: a.actor_sub, role: a.actor_role, org: a.actor_org },
        action: a.action,
        milestone: a.milestone,
        details: a.details,
      }),
    ),
    escalations: [],
  };
  expect(sync.audit).toHaveLength(1);
  await createReadModelActivities(h.pool).syncStayReadModel(sync);
}

beforeAll(async () => {
  [db, smtp, hook] = await Promise.all([createIsolatedDatabase(), startSmtpReceiver(), startWebhookReceiver()]);
  h = await startApiHarness({
    databaseUrl: db.url,
    notifications: {
      smtpUrl: smtp.url,
      mailFrom: 'test@stay-transition.test',
      appBaseUrl: 'http://app.test',
      // local receivers over http: the embedded development stack's webhook rules
      webhooks: EMBEDDED_WEBHOOKS,
    },
  });
  await registerOrganisations(
    h,
    { id: INST, kind: 'institution', name: 'Hendelsesinstitusjonen' },
    { id: FROM, name: 'Bydel Fraflytting' },
    { id: TO, name: 'Bydel Tilflytting' },
  );
  const settings = createNotificationSettings(h.pool, undefined, EMBEDDED_WEBHOOKS);
  await settings.put(
    TO,
    {
      recipients: [{ email: 'koordinator@to.test', role: 'coordinator', delivery: 'digest', digestTime: '07:00' }],
      webhook: { url: hook.url, secret: 'webhook-secret-for-tests' },
    },
    'admin',
  );
  await settings.put(
    FROM,
    {
      recipients: [{ email: 'koordinator@from.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' }],
      webhook: { url: hook.url, secret: 'webhook-secret-for-tests' },
    },
    'admin',
  );
  await new Client({ connection: h.client.connection }).workflow.start(notificationDispatcherWorkflow, {
    workflowId: notificationDispatcherWorkflowId(h.taskQueue),
    taskQueue: h.taskQueue,
    args: [{ pollInterval: '200 milliseconds', maximumAttempts: 2, initialInterval: '200 milliseconds' }],
  });

  ({ id: stayId } = await registerStay(h, {
    residentRef: REF,
    institutionId: INST,
    bydelId: FROM,
    admittedAt: addOffset(today, { months: -5 }),
  }));
  await putContacts(h, stayId, asInst(), [
    {
      role: 'primary-contact',
      name: 'Kari Primær',
      organisationId: INST,
      phone: '+47 22 33 44 55',
      email: 'kari@kontakt.test',
      userId: 'user-institution',
    },
    { role: 'bydel-contact', name: 'Per Bydel', organisationId: FROM, email: 'per@kontakt.test' },
  ]);
});

afterAll(async () => {
  await h?.client.workflow
    .getHandle(notificationDispatcherWorkflowId(h.taskQueue))
    .terminate()
    .catch(() => {});
  await h?.close();
  await Promise.all([smtp?.close(), hook?.close()]);
  await db?.drop();
});

describe('event notifications through the outbox', () => {
  it('tells the receiving bydel (its coordinators and webhook) when housing is offered in it, once', async () => {
    const offered = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/events/housing-offered`,
      headers: asInst(),
      payload: {
        date: today,
        hasBooppfolgingDecision: true,
        housingConditionalOnFollowUp: false,
        expectedMoveInDate: addOffset(today, { days: 21 }),
        receivingBydelId: TO,
      },
    });
    expect(offered.statusCode).toBe(200);
    const mail = await eventually(() => {
      const mails = mailsTo('koordinator@to.test');
      expect(mails).toHaveLength(1);
      return mails[0]!;
    });
    expect(mail.subject).toBe('Bolig tilbudt: beboer ved Hendelsesinstitusjonen flytter til Bydel Tilflytting');
    expect(mail.text).toContain('Beboeren kommer fra Bydel Fraflytting, som har ansvaret til bydelsbyttet.');
    expect(mail.text).toContain('(Fellesskriv 3/2021 §3)');
    // who to call, by name
    expect(mail.text).toContain(
      '- Kari Primær, primærkontakt, Hendelsesinstitusjonen, tlf. +47 22 33 44 55, kari@kontakt.test',
    );
    expect(mail.text).toContain(`http://app.test/opphold/${stayId}`);
    expect(mail.text).not.toContain(REF);
    await eventually(() => expect(hook.calls.filter((c) => c.json.kind === 'housing-offered')).toHaveLength(1));
    const call = hook.calls.find((c) => c.json.kind === 'housing-offered')!;
    expect(call.json).toMatchObject({ stayId, receivingBydelId: TO, fromBydelId: FROM });
    expect(call.body).not.toContain(REF);

    // the worker retries the write (a restart after it committed): nothing is queued or sent again
    const before = await outboxCount();
    await retryReadModelWrite('event.housing-offered');
    expect(await outboxCount()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(mailsTo('koordinator@to.test')).toHaveLength(1);
  });

  it('tells the bydel when a status report arrives and when the final report is sent', async () => {
    const report = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/status-report`,
      headers: asInst(),
      payload: {
        doneAt: today,
        recommendedHousing: 'municipal',
        followUpNeed: 'booppfolging',
        residentWishesRecorded: true,
        professionalAssessmentRecorded: true,
      },
    });
    expect(report.statusCode).toBe(200);
    const statusMails = await eventually(() => {
      const mails = eventMailsTo('koordinator@from.test');
      expect(mails.map((m) => m.subject)).toEqual(['Statusrapport mottatt fra Hendelsesinstitusjonen']);
      return mails;
    });
    expect(statusMails[0]!.text).toContain(
      'Bydelen vurderer om statusrapporten er tilstrekkelig (Fellesskriv 3/2021 §2.2)',
    );
    // the bydel's contact on the stay is told as well
    await eventually(() =>
      expect(mailsTo('per@kontakt.test').map((m) => m.subject)).toContain(
        'Statusrapport mottatt fra Hendelsesinstitusjonen',
      ),
    );
    await retryReadModelWrite('milestone.completed', 'status-report');

    await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/events/discharged`,
      headers: asInst(),
      payload: { date: today },
    });
    const final = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/milestones/final-report`,
      headers: asInst(),
      payload: { doneAt: today, sentToBydel: true },
    });
    expect(final.statusCode).toBe(200);
    await eventually(() =>
      expect(eventMailsTo('koordinator@from.test').map((m) => m.subject)).toEqual([
        'Statusrapport mottatt fra Hendelsesinstitusjonen',
        'Sluttrapport sendt fra Hendelsesinstitusjonen',
      ]),
    );
  });

  it('tells the invited when a meeting is planned and when it is moved, once each, and not the one who planned it', async () => {
    const contacts = await putContacts(h, stayId, h.auth('bydel', FROM), [
      {
        role: 'primary-contact',
        name: 'Kari Primær',
        organisationId: INST,
        email: 'kari@kontakt.test',
        userId: 'user-institution',
      },
      { role: 'bydel-contact', name: 'Per Bydel', organisationId: FROM, email: 'per@kontakt.test' },
      { role: 'housing-follow-up-worker', name: 'Bo Oppfølger', organisationId: TO, email: 'bo@kontakt.test' },
    ]);
    booppfolgerId = contacts[2]!.id;
    const kariId = contacts[0]!.id;
    const plannedAt = `${addOffset(today, { days: 2 })}T13:00`;
    const planned = await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/meetings`,
      headers: { ...asInst(), 'idempotency-key': 'event-test-exit-meeting' },
      payload: { milestone: 'exit-meeting', plannedAt, place: 'Storgata 1', invited: [booppfolgerId, kariId] },
    });
    expect(planned.statusCode).toBe(201);
    const nb = (local: string) =>
      `${local.slice(8, 10)}.${local.slice(5, 7)}.${local.slice(0, 4)} kl. ${local.slice(11)}`;
    const invitation = await eventually(() => {
      const mails = mailsTo('bo@kontakt.test').filter((m) => m.subject.startsWith('Møte'));
      expect(mails).toHaveLength(1);
      return mails[0]!;
    });
    expect(invitation.subject).toBe(`Møte planlagt: Utflyttingsmøte ${nb(plannedAt)}`);
    expect(invitation.text).toContain('Fellesskriv 3/2021 §3.1');
    // the place may be the resident's new home: it stays in the app
    expect(invitation.text).not.toContain('Storgata');

    // a retried POST (same Idempotency-Key) and a move to the same time tell nobody again
    await h.app.inject({
      method: 'POST',
      url: `/api/stays/${stayId}/meetings`,
      headers: { ...asInst(), 'idempotency-key': 'event-test-exit-meeting' },
      payload: { milestone: 'exit-meeting', plannedAt, place: 'Storgata 1', invited: [booppfolgerId, kariId] },
    });
    const to = `${addOffset(today, { days: 3 })}T09:30`;
    for (let i = 0; i < 2; i++)
      await h.app.inject({
        method: 'PATCH',
        url: `/api/stays/${stayId}/meetings/${planned.json().id}`,
        headers: asInst(),
        payload: { plannedAt: to },
      });
    await eventually(() =>
      expect(
        mailsTo('bo@kontakt.test')
          .filter((m) => m.subject.startsWith('Møte'))
          .map((m) => m.subject),
      ).toEqual([`Møte planlagt: Utflyttingsmøte ${nb(plannedAt)}`, `Møte flyttet: Utflyttingsmøte ${nb(to)}`]),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(mailsTo('bo@kontakt.test').filter((m) => m.subject.startsWith('Møte'))).toHaveLength(2);
    expect(mailsTo('bo@kontakt.test').at(-1)!.text).toContain(`er flyttet fra ${nb(plannedAt)} til ${nb(to)}`);
    // Kari planned and moved it herself; Per was not invited
    expect(mailsTo('kari@kontakt.test').filter((m) => m.subject.startsWith('Møte'))).toEqual([]);
    expect(mailsTo('per@kontakt.test').filter((m) => m.subject.startsWith('Møte'))).toEqual([]);
    // someone invited later is told it is planned; those invited before hear nothing new
    const perId = contacts[1]!.id;
    await h.app.inject({
      method: 'PATCH',
      url: `/api/stays/${stayId}/meetings/${planned.json().id}`,
      headers: asInst(),
      payload: { invited: [booppfolgerId, kariId, perId] },
    });
    await eventually(() =>
      expect(
        mailsTo('per@kontakt.test')
          .filter((m) => m.subject.startsWith('Møte'))
          .map((m) => m.subject),
      ).toEqual([`Møte planlagt: Utflyttingsmøte ${nb(to)}`]),
    );
    expect(mailsTo('bo@kontakt.test').filter((m) => m.subject.startsWith('Møte'))).toHaveLength(2);
    // the organisations' systems hear of it by webhook
    expect(hook.calls.filter((c) => String(c.json.kind).startsWith('meeting-')).map((c) => c.json.kind)).toEqual([
      'meeting-planned',
      'meeting-moved',
      'meeting-planned',
    ]);
  });

  it('lets an administrator see event deliveries in the outbox', async () => {
    const res = await h.app.inject({ url: '/api/notifications?limit=200', headers: h.auth('admin') });
    expect(res.statusCode).toBe(200);
    const kinds = res.json().items.map((e: { kind: string; eventId: string | null }) => `${e.kind}:${!!e.eventId}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['housing-offered:true', 'meeting-moved:true', 'final-report-sent:true']),
    );
  });
});
