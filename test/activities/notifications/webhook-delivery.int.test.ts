import { createServer, type Server } from 'node:http';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_ERRORS } from '../../../activities/notifications/channels';
import { createNotificationActivities } from '../../../activities/notifications/deliver';
import { createPool } from '../../../config/database';
import { EMBEDDED_WEBHOOKS, PRODUCTION_WEBHOOKS, type WebhookPolicy } from '../../../config/webhook-target';
import { raiseEscalations } from '../../support/escalation-fixtures';
import { createIsolatedDatabase } from '../../support/isolated-database';

/**
 * Delivery checks the webhook again, on the addresses it connects to: a URL saved before the check existed, or a
 * host name that resolves somewhere else by now, reaches nothing inside the network. Every receiver here listens on
 * 127.0.0.1; no test sends anything anywhere else.
 */

type Receiver = { url: string; calls: number; close(): Promise<void> };

async function receiver(status: number, headers: Record<string, string> = {}): Promise<Receiver> {
  const r = { calls: 0 } as Receiver;
  const server: Server = createServer((req, res) => {
    r.calls += 1;
    req.resume();
    req.on('end', () => res.writeHead(status, headers).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  r.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return r;
}

let db: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let pool: Pool;
let ok: Receiver;
let secondHop: Receiver;
let redirecting: Receiver;
beforeAll(async () => {
  db = await createIsolatedDatabase();
  pool = createPool(db.url, 3);
  [ok, secondHop] = await Promise.all([receiver(204), receiver(204)]);
  redirecting = await receiver(307, { location: secondHop.url });
});
afterAll(async () => {
  await Promise.all([ok?.close(), secondHop?.close(), redirecting?.close()]);
  await pool?.end();
  await db?.drop();
});

/** One webhook outbox row for an organisation whose stored webhook URL is `url` (written as an old row would be). */
async function webhookRow(org: string, url: string): Promise<string> {
  await pool.query(
    `INSERT INTO notification_settings (org_id, webhook_url, webhook_secret, updated_by) VALUES ($1, $2, 'signing-secret-signing', 'admin')
     ON CONFLICT (org_id) DO UPDATE SET webhook_url = EXCLUDED.webhook_url`,
    [org, url],
  );
  const { escalations } = await raiseEscalations(pool, { institutionId: org, bydelId: 'bydel-hook' }, [
    { milestone: 'plan-started', kind: 'overdue', dueDate: '2026-03-01', recipient: 'institution' },
  ]);
  const row = await pool.query<{ id: string }>(
    "SELECT id FROM notification_outbox WHERE escalation_id = $1 AND channel = 'webhook'",
    [escalations[0]!.id],
  );
  return row.rows[0]!.id;
}

async function deliver(id: string, webhooks: WebhookPolicy) {
  const activities = createNotificationActivities(pool, {
    mailFrom: 'x@y.test',
    appBaseUrl: 'http://app.test',
    webhooks,
  });
  return new MockActivityEnvironment().run(activities.deliverNotification, id);
}

const lastError = async (id: string) =>
  (await pool.query<{ last_error: string }>('SELECT last_error FROM notification_outbox WHERE id = $1', [id])).rows[0]!
    .last_error;

describe('webhook delivery', () => {
  it('delivers to a receiver the policy allows', async () => {
    const id = await webhookRow('inst-hook-ok', ok.url);
    expect(await deliver(id, EMBEDDED_WEBHOOKS)).toBe('sent');
    expect(ok.calls).toBe(1);
  });

  it('refuses, without connecting, a stored loopback or http URL outside the embedded stack', async () => {
    const before = ok.calls;
    const literal = await webhookRow('inst-hook-literal', ok.url);
    await expect(deliver(literal, PRODUCTION_WEBHOOKS)).rejects.toThrow(/https URL/);
    const https = await webhookRow('inst-hook-https', ok.url.replace('http://', 'https://'));
    await expect(deliver(https, PRODUCTION_WEBHOOKS)).rejects.toThrow(/loopback/);
    expect(ok.calls).toBe(before);
    expect(await lastError(https)).toBe(WEBHOOK_ERRORS.refused('it points at this machine (loopback)'));
  });

  it('checks the addresses it connects to: a name that now resolves to this machine reaches nothing', async () => {
    const before = ok.calls;
    const port = new URL(ok.url).port;
    // a DNS answer that changed since the URL was saved (rebinding), from a resolver of our own: no DNS server asked
    const rebinding: WebhookPolicy = {
      allowHttp: true,
      allowLoopback: false,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    };
    const id = await webhookRow('inst-hook-rebind', `http://hooks.rebinding.test:${port}/hook`);
    await expect(deliver(id, rebinding)).rejects.toThrow(/loopback/);
    // and through the system resolver (/etc/hosts): localhost is this machine
    const viaHosts = await webhookRow('inst-hook-localhost', `http://localhost:${port}/hook`);
    await expect(deliver(viaHosts, { allowHttp: true, allowLoopback: false })).rejects.toThrow(/loopback/);
    expect(ok.calls).toBe(before);
  });

  it('does not follow redirects, and stores no status, address or port for an admin to read', async () => {
    const id = await webhookRow('inst-hook-redirect', redirecting.url);
    await expect(deliver(id, EMBEDDED_WEBHOOKS)).rejects.toThrow(WEBHOOK_ERRORS.notAccepted);
    expect(redirecting.calls).toBe(1);
    expect(secondHop.calls).toBe(0);
    const stored = await lastError(id);
    expect(stored).toBe(WEBHOOK_ERRORS.notAccepted);
    expect(stored).not.toMatch(/307|127\.0\.0\.1|\d{4,5}/);

    const closed = await receiver(204);
    await closed.close();
    const gone = await webhookRow('inst-hook-gone', closed.url);
    await expect(deliver(gone, EMBEDDED_WEBHOOKS)).rejects.toThrow(WEBHOOK_ERRORS.unreachable);
    expect(await lastError(gone)).toBe(WEBHOOK_ERRORS.unreachable);
  });
});
