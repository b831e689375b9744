import type { FastifyRequest } from 'fastify';

/**
 * Where the caller reached the API, for links it takes away (calendar events, feed addresses). A proxy in front
 * says so in X-Forwarded-Proto / X-Forwarded-Host; the link is the caller's own, so trusting them opens nothing.
 */
export function originOf(req: FastifyRequest): string {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
  return `${first(req.headers['x-forwarded-proto']) || req.protocol}://${first(req.headers['x-forwarded-host']) || req.host}`;
}
