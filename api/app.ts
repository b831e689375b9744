import type { Client } from '@temporalio/client';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import type { Interpretations } from '../rules/interpretations';
import auth from './plugins/app/auth';
import problemDetails from './plugins/app/problem-details';
import stayCommands from './plugins/app/stay-commands';
import stayReadModel from './plugins/app/stay-read-model';
import swagger from './plugins/external/swagger';
import escalationRoutes from './routes/escalations';
import healthRoutes from './routes/health';
import stayRoutes from './routes/stays';
import lifecycleRoutes from './routes/stays/lifecycle';

export type AppDeps = {
  client: Client;
  pool: Pool;
  namespace: string;
  taskQueue: string;
  jwtSecret: string;
  requestTimeoutMs: number;
  interpretations: Interpretations;
  logger?: FastifyServerOptions['logger'];
};

/** The API as a plugin tree; `server.ts` is the only place that listens. Tests build it and use `inject`. */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Bound every request: a Temporal call that cannot finish answers 504 instead of hanging.
    requestTimeout: deps.requestTimeoutMs + 5_000,
    bodyLimit: 64 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(problemDetails);
  await app.register(swagger);
  await app.register(auth, { secret: deps.jwtSecret });
  await app.register(stayReadModel, { pool: deps.pool });
  await app.register(stayCommands, { client: deps.client, taskQueue: deps.taskQueue, timeoutMs: deps.requestTimeoutMs });

  await app.register(healthRoutes, { client: deps.client, taskQueue: deps.taskQueue, namespace: deps.namespace });
  await app.register(stayRoutes, { prefix: '/api/stays', interpretations: deps.interpretations });
  await app.register(lifecycleRoutes, { prefix: '/api/stays' });
  await app.register(escalationRoutes, { prefix: '/api/escalations' });
  return app;
}
