import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../../problem';

/** The path (`body.reason`) of the first string containing U+0000 in a parsed value, or undefined. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nulPath(key, `${path}.${key}`) ?? nulPath(inner, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * PostgreSQL cannot store U+0000 in text, and a stay workflow whose read-model write fails retries it forever: one
 * such character in a reason would wedge the stay (the fuzzer found it). No person types it, so it is refused at the
 * door, for every route: 400 in a path or query parameter (the document says so), 422 in a body, whose free-form parts
 * the document cannot constrain.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request: FastifyRequest) => {
      const where = nulPath(request.params, 'params') ?? nulPath(request.query, 'querystring');
      const inBody = where ? undefined : nulPath(request.body, 'body');
      if (!where && !inBody) return;
      const errors = [{ path: (where ?? inBody)!, message: 'must not contain the NUL character (U+0000)' }];
      throw new HttpProblem(
        where ? 400 : 422,
        where ? 'Bad Request' : 'Unprocessable Content',
        `${errors[0]!.path} contains the NUL character (U+0000), which no text here may hold.`,
        { code: 'nul-character', errors },
      );
    });
  },
  { name: 'text-input' },
);
