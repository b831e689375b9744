import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { completeContract } from './openapi-contract';

/** The OpenAPI document is generated from the routes' zod schemas; the page is at /docs. */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Stay transition engine — institution to home (Fellesskriv 3/2021)',
          description:
            'One durable workflow per stay at a Velferdsetaten substance-use institution, with the deadlines of Fellesskriv 3/2021. ' +
            'Every /api call but GET /api/auth/config needs `Authorization: Bearer <JWT>`; errors are application/problem+json.',
          version: '0.1.0',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
      // the refusals every route shares and `security: []` on the public ones (openapi-contract.ts)
      transformObject: (documentObject) =>
        completeContract(
          'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject,
        ),
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
