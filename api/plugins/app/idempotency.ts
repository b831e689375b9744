import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool } from 'pg';
import { HttpProblem } from '../../problem';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Idempotency-Key (OWASP API6), at one place for every route that takes it. A client's key is scoped to the user and
 * the request's method and path, and bound to the body it was first sent with:
 * - the same user retrying the same request gets the same scoped key, which the route hands to Temporal as the update
 *   id (or derives the new stay's id from), so the change is applied once;
 * - another user, or another route, using the same key value gets a key of its own — a raw key shared by two users
 *   would make Temporal answer one user's command with the other's result and apply nothing;
 * - the same key with another body is a client bug (or a guess at someone's key) and is refused with 422.
 * The route sees only the scoped key, in place of the header it was sent as.
 */
export default fp(
  async (app: FastifyInstance, opts: { pool: Pool }) => {
    app.addHook('preHandler', async (request: FastifyRequest) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !request.user || request.method === 'GET') return;
      const path = request.url.split('?')[0];
      const scoped = sha256(`${request.user.sub}\0${request.method} ${path}\0${key}`);
      const bodyHash = sha256(JSON.stringify(request.body ?? null));
      const stored = await opts.pool.query<{ body_sha256: string }>(
        `INSERT INTO idempotency_keys (scoped_key, body_sha256) VALUES ($1, $2)
         ON CONFLICT (scoped_key) DO UPDATE SET scoped_key = EXCLUDED.scoped_key RETURNING body_sha256`,
        [scoped, bodyHash],
      );
      if (stored.rows[0]!.body_sha256 !== bodyHash)
        throw new HttpProblem(
          422,
          'Unprocessable Content',
          'This Idempotency-Key was already used for another request body on this route. A retry must send the same body; a new request needs a new key.',
          {
            code: 'idempotency-key-reused',
            errors: [{ path: 'headers.idempotency-key', message: 'already used with another body' }],
          },
        );
      // Fastify's headers getter answers a merged copy once validation has run: replace it, do not mutate it.
      request.headers = { ...request.headers, 'idempotency-key': scoped };
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);
