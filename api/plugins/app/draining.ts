import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The draining flag that server.ts sets on SIGTERM and /ready reports (see routes/readiness.ts). */
export default fp(
  async (app: FastifyInstance) => {
    let draining = false;
    app.decorate('draining', { getter: () => draining });
    app.decorate('startDraining', () => {
      draining = true;
    });
    // Closing the server closes the keep-alive connections that are idle at that moment, once; a request still in
    // flight then would leave its connection open (Fastify keeps one alive 72 s) and hold up the exit. While
    // draining, every answer closes its connection.
    app.addHook('onSend', async (_request, reply) => {
      if (draining) reply.header('connection', 'close');
    });
  },
  { name: 'draining' },
);
