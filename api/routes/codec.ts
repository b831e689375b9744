import type { PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { workflowIdOf } from '../../config/payload-codec';
import { retiredProblem, stayIdOfWorkflow } from '../plugins/app/workflow-history';
import { HttpProblem } from '../problem';

type JsonPayload = { metadata?: Record<string, string>; data?: string };

const fromJson = (p: JsonPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Codec server for the Temporal Web UI (`temporal server start-dev --ui-codec-endpoint …/codec`): the UI posts
 * payloads and shows them decrypted. Administrators only — with a bearer token, or, in the embedded development
 * default (dev login on), from this machine, where whoever can reach it can read the key file anyway.
 */
const codecRoutes: FastifyPluginAsync<{
  codec: PayloadCodec;
  allowLoopbackWithoutToken: boolean;
  uiOrigins: string[];
}> = async (app, opts) => {
  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin && opts.uiOrigins.includes(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-headers', 'x-namespace, content-type, authorization');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'origin');
    }
  };
  const authorize = async (request: FastifyRequest) => {
    if (!request.headers.authorization && opts.allowLoopbackWithoutToken && LOOPBACK.has(request.ip)) return;
    await app.authenticate(request);
    if (request.user.role !== 'admin') throw new HttpProblem(403, 'Forbidden', 'Administrators only.');
  };
  const body = (request: FastifyRequest) => {
    const payloads = (request.body as { payloads?: JsonPayload[] } | undefined)?.payloads;
    if (!Array.isArray(payloads))
      throw new HttpProblem(400, 'Bad Request', 'Send {"payloads": [{"metadata": {…}, "data": "base64"}]}.');
    return payloads.map(fromJson);
  };

  for (const op of ['decode', 'encode'] as const) {
    app.options(`/codec/${op}`, { schema: { hide: true } }, async (request, reply) => {
      cors(request, reply);
      return reply.code(204).send();
    });
    app.post(`/codec/${op}`, { schema: { hide: true } }, async (request, reply) => {
      cors(request, reply);
      await authorize(request);
      const input = body(request);
      // Encrypted payloads name the workflow they belong to: the access log gets one row per stay decrypted
      // (null when none is named: payloads written before they carried it, or an encode).
      const stays =
        op === 'decode'
          ? [...new Set(input.map((p) => workflowIdOf(p)).flatMap((id) => (id && stayIdOfWorkflow(id)) || []))]
          : [];
      if (await app.workflowHistory.retired(stays)) throw retiredProblem();
      const payloads = await opts.codec[op](input).catch(() => {
        throw new HttpProblem(
          422,
          'Unprocessable Content',
          'A payload could not be decrypted: it is not encrypted, was tampered with, or needs a key that is not in the ring.',
        );
      });
      const reader = request.user ?? { sub: 'temporal-ui@loopback', role: 'admin' as const };
      for (const stayId of stays.length > 0 ? stays : [null])
        await app.accessLog.record(reader, stayId, 'workflow-history', request.id);
      return { payloads: payloads.map(toJson) };
    });
  }
};

export default codecRoutes;
