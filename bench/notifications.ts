/**
 * Notifications on the embedded stack (real Temporal dev server, PostgreSQL, worker, API, an SMTP server and a
 * webhook receiver in this process). Registers stays whose first deadlines have already passed, so that each
 * stay's deadline timer fires at once, and measures
 *   - timer → inbox: from the workflow's TimerFired event to the escalation being visible in GET /api/inbox
 *   - notifications delivered per second by the dispatcher (e-mail + webhook, from outbox row to `sent`)
 * Prints figures; not a test.   npm run bench:notifications -- [stays=200] [concurrency=4]
 */
import { createServer } from 'node:http';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { SMTPServer } from 'smtp-server';
import { createNotificationSettings } from '../api/plugins/app/notification-settings';
import { EMBEDDED_WEBHOOKS } from '../config/webhook-target';
import { addOffset, osloDate } from '../rules/oslo-calendar';
import { percentile as pct, startBenchStack } from './support/embedded-bench-stack';
import {
  notificationDispatcherWorkflow,
  notificationDispatcherWorkflowId,
} from '../workflows/notifications/dispatcher-workflow';
import { stayWorkflowId } from '../workflows/stay/definitions';

const stays = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 4);

Runtime.install({ logger: new DefaultLogger('WARN') });

let mails = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _s, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      mails += 1;
      cb();
    });
  },
});
await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
let hooks = 0;
const hook = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    hooks += 1;
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));

const stack = await startBenchStack({
  name: 'notify-bench',
  taskQueue: 'bench',
  beforeWorker: async (pool) => {
    // a receiver in this process over http: the embedded development stack's webhook rules
    const settings = createNotificationSettings(pool, undefined, EMBEDDED_WEBHOOKS);
    await settings.put(
      'inst-bench',
      {
        recipients: [
          { email: 'koord1@inst.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
          { email: 'koord2@inst.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' },
        ],
        webhook: {
          url: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`,
          secret: 'bench-webhook-secret',
        },
      },
      'bench',
    );
    await settings.put(
      'bydel-bench',
      {
        recipients: [{ email: 'koord@bydel.test', role: 'coordinator', delivery: 'immediate', digestTime: '07:00' }],
        webhook: null,
      },
      'bench',
    );
  },
  worker: {
    notifications: {
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`,
      mailFrom: 'bench@stay-transition.test',
      appBaseUrl: 'http://127.0.0.1:3000',
      webhooks: EMBEDDED_WEBHOOKS,
    },
  },
});
const { app, base, client, pool } = stack;
await client.workflow.start(notificationDispatcherWorkflow, {
  workflowId: notificationDispatcherWorkflowId('bench'),
  taskQueue: 'bench',
  args: [{}],
});
const sign = (claims: object) => app.jwt.sign(claims, { expiresIn: '1h' });
const headers = {
  authorization: `Bearer ${sign({ sub: 'bench', role: 'institution', org: 'inst-bench' })}`,
  'content-type': 'application/json',
};
const bydelHeaders = { authorization: `Bearer ${sign({ sub: 'bench-b', role: 'bydel', org: 'bydel-bench' })}` };

async function pooled<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

// Admitted 15 days ago: the 14-day plan deadline (§2.2) was yesterday, so its overdue timer fires right after start.
const admittedAt = addOffset(osloDate(Date.now()), { days: -15 });
const t0 = performance.now();
const latencies = await pooled(stays, async (i) => {
  const res = await fetch(`${base}/api/stays`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ residentRef: `R-N-${i}`, institutionId: 'inst-bench', bydelId: 'bydel-bench', admittedAt }),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  // first moment the overdue escalation is in the inbox of the organisation it is addressed to
  let seenAt: number | undefined;
  while (seenAt === undefined) {
    for (const h of [headers, bydelHeaders]) {
      const inbox = await fetch(`${base}/api/inbox?stayId=${id}&kind=overdue`, { headers: h });
      const body = (await inbox.json()) as { items: unknown[] };
      if (body.items.length > 0) seenAt = Date.now();
    }
    if (seenAt === undefined) await new Promise((r) => setTimeout(r, 10));
  }
  const history = await client.workflow.getHandle(stayWorkflowId(id)).fetchHistory();
  // A deadline that has passed by registration is raised in the workflow's first task, exactly as a TimerFired wake
  // would raise it; the anchor is that task's start (or TimerFired, when the deadline was still ahead).
  const events = history.events ?? [];
  const scheduled = events.findIndex((e) => e.activityTaskScheduledEventAttributes);
  const fired =
    events.find((e) => e.timerFiredEventAttributes) ??
    events
      .slice(0, scheduled)
      .reverse()
      .find((e) => e.workflowTaskStartedEventAttributes);
  if (!fired?.eventTime?.seconds) throw new Error(`no wake found in ${id}`);
  const firedAt = Number(fired.eventTime.seconds) * 1000 + Math.floor((fired.eventTime.nanos ?? 0) / 1e6);
  return seenAt - firedAt;
});
const regWall = performance.now() - t0;

// all notifications of those escalations delivered
let rows = 0;
for (;;) {
  const {
    rows: [r],
  } = await pool.query<{ total: number; pending: number }>(
    "SELECT count(*)::int AS total, count(*) FILTER (WHERE status <> 'sent')::int AS pending FROM notification_outbox",
  );
  rows = r!.total;
  if (r!.pending === 0 && rows > 0) break;
  await new Promise((res) => setTimeout(res, 200));
}
const {
  rows: [span],
} = await pool.query<{ first: Date; last: Date; mean_ms: number; p50: number; p99: number }>(
  `SELECT min(created_at) AS first, max(sent_at) AS last,
     percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at) * 1000) AS p50,
     percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at) * 1000) AS p99
   FROM notification_outbox`,
);
const spanMs = span!.last.getTime() - span!.first.getTime();

console.log(`embedded stack, ${stays} stays, ${concurrency} concurrent clients, 2-core machine`);
console.log(
  `deadline wake → escalation in inbox  n=${latencies.length}  p50=${pct(latencies, 50)}ms  p99=${pct(latencies, 99)}ms  max=${Math.max(...latencies)}ms  (registration wall ${(regWall / 1000).toFixed(1)} s)`,
);
console.log(
  `notifications delivered             n=${rows} (${mails} e-mails, ${hooks} webhook calls)  ${((rows / spanMs) * 1000).toFixed(1)}/s over ${(spanMs / 1000).toFixed(1)} s`,
);
console.log(`outbox row → sent                   p50=${Math.round(span!.p50)}ms  p99=${Math.round(span!.p99)}ms`);

await client.workflow.getHandle(notificationDispatcherWorkflowId('bench')).terminate();
await stack.stop();
await new Promise<void>((r) => smtp.close(() => r()));
hook.close();
