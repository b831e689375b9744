import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's id is kept only if it is short and plain, so that it cannot forge or flood log lines. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,64}$/;

/** Fastify's genReqId: the caller's X-Request-Id (a proxy's or the web app's) when acceptable, else a UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  return typeof header === 'string' && ACCEPTABLE.test(header) ? header : randomUUID();
}

/** Every response names its request id, the `reqId` in each log line and the `instance` of a problem. */
export default fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
    });
  },
  { name: 'request-id' },
);
