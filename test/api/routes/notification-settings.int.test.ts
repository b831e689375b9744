import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../config/secret-box';
import { startApiHarness, type Harness } from '../../support/api-harness';
import { raiseEscalations } from '../../support/escalation-fixtures';

describe('/api/organisations/:orgId/notification-settings and /api/notifications', () => {
  let h: Harness;
  const org = `bydel-${randomUUID().slice(0, 8)}`;
  const url = `/api/organisations/${org}/notification-settings`;
  const body = {
    recipients: [
      { email: 'koordinator@bydel.test', role: 'coordinator' },
      { email: 'leder@bydel.test', role: 'leader', delivery: 'digest', digestTime: '08:15' },
    ],
    webhook: { url: 'https://93.184.215.14/varsel', secret: 'a-very-secret-signing-key' },
  };

  beforeAll(async () => {
    // as under `npm start`: a payload key ring, so webhook secrets are sealed at rest
    h = await startApiHarness({
      withWorker: false,
      app: { secretBox: new SecretBox(new Map([['k1', randomBytes(32)]]), 'k1') },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets an admin replace the settings and never returns the webhook secret', async () => {
    const res = await h.app.inject({ method: 'PUT', url, headers: h.auth('admin'), payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      orgId: org,
      recipients: [
        { email: 'koordinator@bydel.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
        { email: 'leder@bydel.test', role: 'leader', delivery: 'digest', digestTime: '08:15' },
      ],
      webhook: { url: 'https://93.184.215.14/varsel', hasSecret: true },
      updatedAt: expect.any(String),
      updatedBy: 'user-admin',
    });
    expect(res.body).not.toContain('a-very-secret-signing-key');
    const stored = (
      await h.pool.query<{ webhook_secret: string }>(
        'SELECT webhook_secret FROM notification_settings WHERE org_id = $1',
        [org],
      )
    ).rows[0]!.webhook_secret;
    expect(stored).toMatch(/^enc:v1:k1:/);
    expect(stored).not.toContain('a-very-secret-signing-key');
  });

  it("lets the organisation's own users read, and hides it from other organisations (404)", async () => {
    const own = await h.app.inject({ method: 'GET', url, headers: h.auth('bydel', org) });
    expect(own.statusCode).toBe(200);
    expect(own.json().recipients).toHaveLength(2);
    expect(own.body).not.toContain('a-very-secret-signing-key');
    expect((await h.app.inject({ method: 'GET', url, headers: h.auth('bydel', 'bydel-other') })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url, headers: h.auth('institution', 'inst-1') })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('refuses changes by anyone but an admin (403), malformed settings (400) and a recipient twice (422)', async () => {
    const own = await h.app.inject({ method: 'PUT', url, headers: h.auth('bydel', org), payload: body });
    expect(own.statusCode).toBe(403);
    expect(own.headers['content-type']).toContain('application/problem+json');
    const bad = await h.app.inject({
      method: 'PUT',
      url,
      headers: h.auth('admin'),
      payload: {
        recipients: [{ email: 'not-an-address', role: 'boss', digestTime: '25:00' }],
        webhook: { url: 'ftp://x', secret: 'short' },
      },
    });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().errors as Array<{ path: string }>).map((e) => e.path).join(' ');
    for (const p of ['email', 'role', 'digestTime', 'url', 'secret']) expect(paths).toContain(p);
    const dup = await h.app.inject({
      method: 'PUT',
      url,
      headers: h.auth('admin'),
      payload: { recipients: [body.recipients[0], { ...body.recipients[0], role: 'leader' }] },
    });
    expect(dup.statusCode).toBe(422);
    expect(dup.json()).toMatchObject({ code: 'duplicate-recipient', errors: [{ path: 'body.recipients' }] });
  });

  it('refuses webhook URLs that reach inside the network or skip TLS (422 on the field), and keeps what was saved', async () => {
    const refused = [
      ['http://93.184.215.14/varsel', /https URL/],
      ['https://127.0.0.1/varsel', /loopback/],
      ['https://0x7f000001/varsel', /loopback/],
      ['https://2130706433/varsel', /loopback/],
      ['https://[::1]/varsel', /loopback/],
      ['https://[::ffff:127.0.0.1]/varsel', /loopback/],
      // resolved through /etc/hosts, no DNS server involved
      ['https://localhost:8443/varsel', /loopback/],
      ['https://169.254.169.254/latest/meta-data/', /private, link-local or reserved/],
      ['https://10.0.0.5/varsel', /private, link-local or reserved/],
      ['https://[fe80::1]/varsel', /private, link-local or reserved/],
      ['https://[fd00::5]/varsel', /private, link-local or reserved/],
      ['https://0.0.0.0/varsel', /private, link-local or reserved/],
      ['https://user:pw@93.184.215.14/varsel', /user name or password/],
    ] as const;
    for (const [webhookUrl, reason] of refused) {
      const res = await h.app.inject({
        method: 'PUT',
        url,
        headers: h.auth('admin'),
        payload: { ...body, webhook: { url: webhookUrl, secret: 'a-very-secret-signing-key' } },
      });
      expect(res.statusCode, webhookUrl).toBe(422);
      expect(res.json()).toMatchObject({ code: 'webhook-url-refused', errors: [{ path: 'body.webhook.url' }] });
      expect(res.json().detail, webhookUrl).toMatch(reason);
    }
    const kept = await h.app.inject({ method: 'GET', url, headers: h.auth('admin') });
    expect(kept.json().webhook).toEqual({ url: 'https://93.184.215.14/varsel', hasSecret: true });
  });

  it('shows failed deliveries to admins only and redelivers a failed one once', async () => {
    const { escalations } = await raiseEscalations(h.pool, { institutionId: 'inst-x', bydelId: org }, [
      { milestone: 'status-report', kind: 'overdue', dueDate: '2026-03-01', recipient: 'bydel' },
    ]);
    const row = (
      await h.pool.query("SELECT id FROM notification_outbox WHERE escalation_id = $1 AND channel = 'email'", [
        escalations[0]!.id,
      ])
    ).rows[0] as { id: string };
    await h.pool.query(
      "UPDATE notification_outbox SET status = 'failed', attempts = 6, last_error = 'connection refused' WHERE id = $1",
      [row.id],
    );

    expect(
      (await h.app.inject({ method: 'GET', url: '/api/notifications?status=failed', headers: h.auth('bydel', org) }))
        .statusCode,
    ).toBe(403);
    const list = await h.app.inject({
      method: 'GET',
      url: `/api/notifications?status=failed&escalationId=${escalations[0]!.id}`,
      headers: h.auth('admin'),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: row.id,
        status: 'failed',
        channel: 'email',
        recipient: 'koordinator@bydel.test',
        attempts: 6,
        lastError: 'connection refused',
        milestone: 'status-report',
      }),
    ]);

    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/notifications/${row.id}/redeliver`,
          headers: h.auth('bydel', org),
        })
      ).statusCode,
    ).toBe(403);
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/notifications/${row.id}/redeliver`,
      headers: h.auth('admin'),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: row.id, status: 'pending', mode: 'immediate', lastError: null });
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/notifications/${row.id}/redeliver`, headers: h.auth('admin') }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: `/api/notifications/${randomUUID()}/redeliver`,
          headers: h.auth('admin'),
        })
      ).statusCode,
    ).toBe(404);
    // Not left pending in the shared test database for some other test's dispatcher to pick up.
    await h.pool.query("UPDATE notification_outbox SET status = 'sent' WHERE escalation_id = $1", [escalations[0]!.id]);
  });

  it('lists for an admin the organisations whose open alarms reached nobody by e-mail, until they are done or acknowledged', async () => {
    const [silentInst, silentBydel, reachedInst] = ['inst-silent', 'bydel-silent', 'inst-reached'].map(
      (id) => `${id}-${randomUUID().slice(0, 8)}`,
    );
    await h.app.inject({
      method: 'PUT',
      url: `/api/organisations/${reachedInst}/notification-settings`,
      headers: h.auth('admin'),
      payload: { recipients: [{ email: 'koord@reached.test', role: 'coordinator' }], webhook: null },
    });
    /** This test's organisations in the list: how many open alarms reached nobody, and whether a webhook is called. */
    const unreached = async () =>
      Object.fromEntries(
        (
          (await h.app.inject({ url: '/api/notifications/unreached', headers: h.auth('admin') })).json().items as {
            orgId: string;
            openAlarms: number;
            hasWebhook: boolean;
          }[]
        )
          .filter((o) => [silentInst, silentBydel, reachedInst].includes(o.orgId))
          .map((o) => [o.orgId, `${o.openAlarms}${o.hasWebhook ? ' with webhook' : ''}`]),
      );

    const silent = await raiseEscalations(h.pool, { institutionId: silentInst, bydelId: silentBydel }, [
      { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-02-01', recipient: 'institution' },
      { milestone: 'housing-mapping', kind: 'overdue', dueDate: '2026-02-15', recipient: 'institution' },
      { milestone: 'status-report', kind: 'second-level', dueDate: '2026-05-01', recipient: 'both' },
    ]);
    await raiseEscalations(h.pool, { institutionId: reachedInst, bydelId: silentBydel }, [
      { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-02-01', recipient: 'institution' },
    ]);
    expect(await unreached()).toEqual({ [silentInst]: '3', [silentBydel]: '1' });

    // one done since, one acknowledged in the inbox: no longer waiting for anyone
    await h.pool.query(
      `UPDATE stay_milestones SET done_at = '2026-02-03' WHERE stay_id = $1 AND key = 'plan-started'`,
      [silent.stayId],
    );
    const ack = await h.app.inject({
      method: 'POST',
      url: `/api/inbox/${silent.escalations[1]!.id}/acknowledge`,
      headers: h.auth('institution', silentInst),
    });
    expect(ack.statusCode).toBe(200);
    expect(await unreached()).toEqual({ [silentInst]: '1', [silentBydel]: '1' });

    // recipients set up now are told of the alarms raised from now on, not of these: the list still shows them
    await h.app.inject({
      method: 'PUT',
      url: `/api/organisations/${silentBydel}/notification-settings`,
      headers: h.auth('admin'),
      payload: { recipients: [{ email: 'koord@silent.test', role: 'coordinator' }], webhook: null },
    });
    expect(await unreached()).toEqual({ [silentInst]: '1', [silentBydel]: '1' });

    const refused = await h.app.inject({
      url: '/api/notifications/unreached',
      headers: h.auth('institution', silentInst),
    });
    expect(refused.statusCode).toBe(403);
  });
});
