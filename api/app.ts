import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import type { SecretBox } from '../config/secret-box';
import type { WebhookPolicy } from '../config/webhook-target';
import type { Interpretations } from '../rules/interpretations';
import accessLog from './plugins/app/access-log';
import applications from './plugins/app/applications';
import auth, { type OidcOptions, type SharedSecretPolicy } from './plugins/app/auth';
import calendarFeeds from './plugins/app/calendar-feeds';
import contacts from './plugins/app/contacts';
import milestoneAssignees from './plugins/app/milestone-assignees';
import dependencyChecks from './plugins/app/dependency-checks';
import draining from './plugins/app/draining';
import idempotency from './plugins/app/idempotency';
import inbox from './plugins/app/inbox';
import meetings from './plugins/app/meetings';
import metrics from './plugins/app/metrics';
import notificationSettings from './plugins/app/notification-settings';
import organisations from './plugins/app/organisations';
import participation from './plugins/app/participation';
import problemDetails, { sendProblem } from './plugins/app/problem-details';
import reports from './plugins/app/reports';
import requestId, { requestIdOf } from './plugins/app/request-id';
import stayCommands from './plugins/app/stay-commands';
import stayReadModel from './plugins/app/read-model';
import textInput from './plugins/app/text-input';
import uiStatic from './plugins/app/ui-static';
import userDirectory from './plugins/app/user-directory';
import workflowHistory from './plugins/app/workflow-history';
import ruleDiff from './plugins/app/rule-diff';
import security from './plugins/external/security';
import swagger from './plugins/external/swagger';
import adminRoutes from './routes/admin';
import applicationRoutes from './routes/stays/applications';
import authRoutes from './routes/auth';
import calendarRoutes from './routes/calendar';
import calendarFeedRoutes from './routes/calendar/feed';
import codecRoutes from './routes/codec';
import consentReminderRoutes from './routes/consent-reminders';
import configRoutes from './routes/config';
import devLoginRoutes from './routes/dev-login';
import escalationRoutes from './routes/escalations';
import healthRoutes from './routes/health';
import inboxRoutes from './routes/inbox';
import notificationRoutes from './routes/notifications';
import organisationRoutes from './routes/organisations';
import readinessRoutes from './routes/readiness';
import reportRoutes from './routes/reports';
import stayRoutes from './routes/stays';
import contactRoutes from './routes/stays/contacts';
import milestoneAssigneeRoutes from './routes/stays/milestone-assignees';
import stayCalendarRoutes from './routes/stays/calendar';
import lifecycleRoutes from './routes/stays/lifecycle';
import meetingRoutes from './routes/stays/meetings';
import participationRoutes from './routes/stays/participation';

export type RouteEntry = { method: string; url: string };

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export type AppDeps = {
  client: Client;
  pool: Pool;
  namespace: string;
  taskQueue: string;
  jwtSecret: string;
  /** Verify bearer tokens against this identity provider's JWKS instead of the local HS256 secret. */
  oidc?: OidcOptions;
  /** Issuer, audience and maximum lifetime of HS256 tokens (default: config/token-auth.ts SHARED_SECRET_DEFAULTS). */
  sharedSecretPolicy?: SharedSecretPolicy;
  /** Refused tokens per client IP and minute before that address is answered 429 unverified (default 30). */
  failedLoginsPerMinute?: number;
  requestTimeoutMs: number;
  interpretations: Interpretations;
  /** Days after a stay closes that its personal data is removed (RETENTION_DAYS; rules/retention.ts). */
  retentionDays?: number;
  logger?: FastifyServerOptions['logger'];
  /** Requests a minute per user (bearer token) or, without one, per IP. */
  rateLimitPerMinute?: number;
  /** Serve the built web app from this directory at `/` (off unless given). */
  ui?: { root: string };
  /** Offer POST /api/dev/login (development only: it trusts whatever role and organisation a person picks). */
  devLogin?: boolean;
  /** Payload encryption (config/payload-codec.ts): the decoded workflow history and the codec server use it. */
  payloadCodec?: PayloadCodec;
  /** Origins of the Temporal Web UI allowed to call the codec server. */
  codecUiOrigins?: string[];
  /** The Temporal Web UI (TEMPORAL_UI_URL): administrators get a link from a stay to its workflow there. */
  temporalUiUrl?: string;
  /** Seals webhook signing secrets at rest (config/secret-box.ts); from the payload key ring. */
  secretBox?: SecretBox;
  /** Which webhook URLs an administrator may save (default: public https addresses only). */
  webhookPolicy?: WebhookPolicy;
};

/** The API as a plugin tree; `server.ts` is the only place that listens. Tests build it and use `inject`. */
export async function buildApp(deps: AppDeps) {
  if (deps.devLogin && deps.oidc)
    throw new Error('The development login cannot be offered together with an OIDC issuer: unset DEV_LOGIN.');
  if (deps.devLogin && process.env.NODE_ENV === 'production')
    throw new Error('The development login is never offered with NODE_ENV=production: unset DEV_LOGIN.');
  const app = Fastify({
    logger: deps.logger ?? false,
    // Bound every request: a Temporal call that cannot finish answers 504 instead of hanging.
    requestTimeout: deps.requestTimeoutMs + 5_000,
    bodyLimit: 64 * 1024,
    // `__proto__` / `constructor.prototype` keys are dropped from JSON bodies (never merged into objects): a body the
    // document allows stays acceptable, and no prototype can be polluted
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    routerOptions: { ignoreTrailingSlash: true },
    // X-Request-Id from a proxy or the caller when it is plain, else a UUID; echoed in the response and every log line.
    genReqId: requestIdOf,
    // a malformed URL or an over-long path parameter is refused before routing: a 400 problem like any other
    frameworkErrors: (err, request, reply) =>
      sendProblem(reply, request, {
        status: 400,
        title: 'Bad Request',
        detail:
          err.code === 'FST_ERR_MAX_PARAM_LENGTH'
            ? 'A path parameter is too long (at most 100 characters).'
            : 'The URL is malformed.',
      }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Every route, as registered: the authorization matrix test walks it, so no route goes without a scope rule.
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });
  app.decorate('routeTable', routeTable);

  await app.register(problemDetails);
  await app.register(draining);
  await app.register(requestId);
  await app.register(textInput);
  await app.register(metrics, { pool: deps.pool });
  // The web app fetches the provider's discovery document and token endpoint itself (OIDC login in the browser).
  await app.register(security, {
    perMinute: deps.rateLimitPerMinute ?? 1200,
    connectSrc: deps.oidc?.clientId ? [new URL(deps.oidc.issuer).origin] : [],
  });
  await app.register(swagger);
  await app.register(auth, {
    secret: deps.jwtSecret,
    oidc: deps.oidc,
    sharedSecretPolicy: deps.sharedSecretPolicy,
    failedLoginsPerMinute: deps.failedLoginsPerMinute,
  });
  await app.register(userDirectory, { pool: deps.pool });
  await app.register(idempotency, { pool: deps.pool });
  await app.register(stayReadModel, { pool: deps.pool });
  await app.register(inbox, { pool: deps.pool });
  await app.register(notificationSettings, {
    pool: deps.pool,
    secrets: deps.secretBox,
    webhooks: deps.webhookPolicy,
  });
  await app.register(organisations, { pool: deps.pool });
  await app.register(accessLog, { pool: deps.pool });
  await app.register(reports, { pool: deps.pool });
  await app.register(contacts, { pool: deps.pool });
  await app.register(milestoneAssignees, { pool: deps.pool });
  await app.register(meetings, { pool: deps.pool });
  await app.register(participation, { pool: deps.pool });
  await app.register(applications, { pool: deps.pool });
  await app.register(calendarFeeds, { pool: deps.pool });
  await app.register(workflowHistory, { client: deps.client, pool: deps.pool, codec: deps.payloadCodec });
  await app.register(ruleDiff, { client: deps.client, pool: deps.pool, interpretations: deps.interpretations });
  await app.register(stayCommands, {
    client: deps.client,
    taskQueue: deps.taskQueue,
    timeoutMs: deps.requestTimeoutMs,
    interpretations: deps.interpretations,
    retentionDays: deps.retentionDays,
  });

  await app.register(dependencyChecks, { client: deps.client, taskQueue: deps.taskQueue, namespace: deps.namespace });
  await app.register(healthRoutes);
  await app.register(readinessRoutes);
  await app.register(authRoutes, { prefix: '/api/auth', devLogin: !!deps.devLogin, oidc: deps.oidc });
  await app.register(stayRoutes, { prefix: '/api/stays' });
  await app.register(lifecycleRoutes, { prefix: '/api/stays', interpretations: deps.interpretations });
  await app.register(configRoutes, { prefix: '/api/config', interpretations: deps.interpretations });
  await app.register(contactRoutes, { prefix: '/api/stays' });
  await app.register(milestoneAssigneeRoutes, { prefix: '/api/stays' });
  await app.register(meetingRoutes, { prefix: '/api/stays' });
  await app.register(participationRoutes, { prefix: '/api/stays' });
  await app.register(applicationRoutes, { prefix: '/api/stays' });
  await app.register(consentReminderRoutes, { prefix: '/api/consent-reminders' });
  await app.register(stayCalendarRoutes, { prefix: '/api/stays' });
  await app.register(calendarRoutes, { prefix: '/api/calendar' });
  await app.register(calendarFeedRoutes, { prefix: '/api/calendar' });
  await app.register(escalationRoutes, { prefix: '/api/escalations' });
  await app.register(inboxRoutes, { prefix: '/api/inbox' });
  await app.register(organisationRoutes, { prefix: '/api/organisations' });
  await app.register(notificationRoutes, { prefix: '/api/notifications' });
  await app.register(reportRoutes, { prefix: '/api/reports' });
  await app.register(adminRoutes, {
    prefix: '/api',
    temporalUi: deps.temporalUiUrl ? { baseUrl: deps.temporalUiUrl, namespace: deps.namespace } : undefined,
  });
  if (deps.payloadCodec) {
    await app.register(codecRoutes, {
      codec: deps.payloadCodec,
      allowLoopbackWithoutToken: !!deps.devLogin,
      uiOrigins: deps.codecUiOrigins ?? [],
    });
  }
  if (deps.devLogin) await app.register(devLoginRoutes, { prefix: '/api/dev' });
  if (deps.ui) await app.register(uiStatic, { root: deps.ui.root });
  return app;
}
