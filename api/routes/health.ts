import type { Client } from '@temporalio/client';
import type { FastifyPluginAsync } from 'fastify';
import { sendProblem } from '../plugins/app/problem-details';

type Check = 'ok' | string;

/** A worker counts as present when it polled the task queue within this window (Temporal keeps ~5 minutes). */
const WORKER_SEEN_WITHIN_MS = 70_000;

const healthRoutes: FastifyPluginAsync<{ client: Client; taskQueue: string; namespace: string }> = async (app, opts) => {
  const withTimeout = <T>(p: Promise<T>, ms = 3_000) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);

  app.get('/health', { logLevel: 'warn', schema: { summary: 'Ready when the API, the worker, Temporal and PostgreSQL are usable', tags: ['health'] } }, async (request, reply) => {
    const checks: Record<'api' | 'postgres' | 'temporal' | 'worker', Check> = { api: 'ok', postgres: 'ok', temporal: 'ok', worker: 'ok' };
    await Promise.all([
      withTimeout(app.stayReadModel.ping()).catch(() => (checks.postgres = 'unreachable')),
      withTimeout(opts.client.workflowService.getSystemInfo({}))
        .then(async () => {
          const described = await withTimeout(
            opts.client.workflowService.describeTaskQueue({
              namespace: opts.namespace,
              taskQueue: { name: opts.taskQueue },
              taskQueueType: 1, // workflow task queue
            }),
          );
          const now = Date.now();
          const recent = (described.pollers ?? []).some((p) => {
            const seconds = Number(p.lastAccessTime?.seconds ?? 0);
            return now - seconds * 1000 < WORKER_SEEN_WITHIN_MS;
          });
          if (!recent) checks.worker = `no worker polling task queue ${opts.taskQueue}`;
        })
        .catch(() => {
          checks.temporal = 'unreachable';
          checks.worker = 'unknown';
        }),
    ]);
    const healthy = Object.values(checks).every((c) => c === 'ok');
    if (healthy) return reply.send({ status: 'ok', checks });
    return sendProblem(reply, request, {
      status: 503,
      title: 'Service Unavailable',
      detail: `Not ready: ${Object.entries(checks).filter(([, v]) => v !== 'ok').map(([k, v]) => `${k}: ${v}`).join('; ')}.`,
      extra: { checks },
    });
  });
};

export default healthRoutes;
