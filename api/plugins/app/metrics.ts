import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of this API instance at GET /metrics (text format, no token: keep it on the internal network).
 * - http_request_duration_seconds{method,route,status_code}: latency histogram per route template
 * - stay_escalations_raised_total{kind}: escalations in the read model. Counted from PostgreSQL at scrape time,
 *   because the read model is where "exactly one per milestone and due date" is enforced: however many workers
 *   retry an activity, the number only moves when a row really lands. Every API instance reports the same total
 *   (aggregate with max(), not sum()).
 * - stay_notification_failures_total: notifications (e-mail, webhook, digest) that failed for good after their last
 *   retry, counted from the outbox at scrape time (a redelivery that succeeds takes one off).
 * - process_* / nodejs_*: prom-client's defaults (RSS, heap, event-loop lag, GC).
 * Temporal SDK Core metrics are the worker's: see WORKER_METRICS_ADDRESS (README "Operations").
 */

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry; notificationFailures: Counter };
  }
}

const ESCALATION_QUERY_TIMEOUT_MS = 2_000;
/** HTTP latency buckets: Temporal Updates take tens of ms; past REQUEST_TIMEOUT_MS the API answers 504. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    // One registry per app, not prom-client's global one: tests build several apps in one process.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });

    const httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      // The route template (/api/stays/:stayId), never the raw URL: ids would explode the label set.
      const route = request.routeOptions.url ?? 'unmatched';
      httpDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    new Counter({
      name: 'stay_escalations_raised_total',
      help: 'Escalations raised (rows in the read model), by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        try {
          const { rows } = await opts.pool.query<{ kind: string; n: number }>({
            text: 'SELECT kind, count(*)::int AS n FROM escalations GROUP BY kind',
            query_timeout: ESCALATION_QUERY_TIMEOUT_MS,
          } as { text: string });
          // Only replace the values once the query answered: a failed scrape must not look like a counter reset.
          this.reset();
          for (const { kind, n } of rows) this.inc({ kind }, n);
        } catch (err) {
          app.log.warn({ err }, 'could not count escalations for /metrics');
        }
      },
    });

    const notificationFailures = new Counter({
      name: 'stay_notification_failures_total',
      help: 'Outbound notifications (e-mail, webhook, digest) that failed for good after their last retry',
      registers: [registry],
      async collect() {
        try {
          const { rows } = await opts.pool.query<{ n: number }>({
            text: `SELECT (SELECT count(*) FROM notification_outbox WHERE status = 'failed')
                        + (SELECT count(*) FROM notification_digests WHERE status = 'failed') AS n`,
            query_timeout: ESCALATION_QUERY_TIMEOUT_MS,
          } as { text: string });
          this.reset();
          this.inc(Number(rows[0]?.n ?? 0));
        } catch (err) {
          app.log.warn({ err }, 'could not count failed notifications for /metrics');
        }
      },
    });

    app.decorate('metrics', { registry, notificationFailures });

    app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
