import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from './problem-details';

export type DependencyName = 'api' | 'postgres' | 'temporal' | 'worker';
export type DependencyChecks = { healthy: boolean; checks: Record<DependencyName, 'ok' | string> };

/** A worker counts as present when it polled the task queue within this window (Temporal keeps ~5 minutes). */
const WORKER_SEEN_WITHIN_MS = 70_000;
const CHECK_TIMEOUT_MS = 3_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether PostgreSQL and Temporal answer and a worker polls our task queue (for /health and /ready). */
    dependencyChecks(): Promise<DependencyChecks>;
  }
}

const withTimeout = <T>(p: Promise<T>, ms = CHECK_TIMEOUT_MS) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);

export default fp(
  async (app: FastifyInstance, opts: { client: Client; taskQueue: string; namespace: string }) => {
    app.decorate('dependencyChecks', async (): Promise<DependencyChecks> => {
      const checks: DependencyChecks['checks'] = { api: 'ok', postgres: 'ok', temporal: 'ok', worker: 'ok' };
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
            const recent = (described.pollers ?? []).some(
              (p) => now - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < WORKER_SEEN_WITHIN_MS,
            );
            if (!recent) checks.worker = `no worker polling task queue ${opts.taskQueue}`;
          })
          .catch(() => {
            checks.temporal = 'unreachable';
            checks.worker = 'unknown';
          }),
      ]);
      return { healthy: Object.values(checks).every((c) => c === 'ok'), checks };
    });
  },
  { name: 'dependency-checks', dependencies: ['stay-read-model'] },
);

const describeFailedChecks = (checks: DependencyChecks['checks']) =>
  Object.entries(checks)
    .filter(([, v]) => v !== 'ok')
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');

/** 200 with every check when all are usable, else 503 as a problem naming what is not (/health and /ready). */
export async function answerWithChecks(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const { healthy, checks } = await app.dependencyChecks();
  if (healthy) return reply.send({ status: 'ok', checks });
  return sendProblem(reply, request, {
    status: 503,
    title: 'Service Unavailable',
    detail: `Not ready: ${describeFailedChecks(checks)}.`,
    extra: { checks },
  });
}
