import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../../problem';

/**
 * Security headers and rate limits (OWASP API4: unrestricted resource consumption). Limits are per user — the
 * bearer token, hashed — and per IP for anonymous calls; health and metrics are not limited.
 */
export default fp(
  async (app: FastifyInstance, opts: { perMinute: number; connectSrc?: string[] }) => {
    // Everything the web app and the OpenAPI page load comes from this origin; inline styles are React's and Punkt's.
    // connectSrc: the OIDC provider's origin, whose discovery document and token endpoint the web app calls.
    await app.register(helmet, {
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", ...(opts.connectSrc ?? [])],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    });
    await app.register(rateLimit, {
      max: opts.perMinute,
      timeWindow: '1 minute',
      allowList: (req: FastifyRequest) => ['/health', '/ready', '/live', '/metrics'].includes(req.url.split('?')[0]!),
      keyGenerator: (req: FastifyRequest) => {
        const auth = req.headers.authorization;
        return auth ? `token:${createHash('sha256').update(auth).digest('hex').slice(0, 32)}` : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req, context) =>
        new HttpProblem(
          429,
          'Too Many Requests',
          `More than ${context.max} requests a minute; try again in ${Math.ceil(context.ttl / 1000)} s.`,
        ),
    });
  },
  { name: 'security' },
);
