import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('stay-transition'),
  DATABASE_URL: z.string().min(1).optional(),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z
    .url({ protocol: /^https?$/, error: 'TEMPORAL_UI_URL must be an http(s) URL, e.g. https://temporal.example.no' })
    .optional(),
  PG_PORT: port.default(5433),
  AUTH_JWT_SECRET: z.string().min(16, 'AUTH_JWT_SECRET must be at least 16 characters').optional(),
  // Production: dev shortcuts never apply; the Docker image sets it.
  NODE_ENV: z.string().optional(),
  // Set by `npm start` for the worker and API it runs on its own embedded servers (honoured only for loopback servers).
  EMBEDDED_STACK: z.enum(['true', 'false']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // Production shape (issue 8): a Temporal service of its own (self-hosted with mTLS, or Temporal Cloud).
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^.+:\d+$/, 'WORKER_METRICS_ADDRESS must be host:port, e.g. 0.0.0.0:9464')
    .optional(),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).optional(),
  PG_POOL_MAX: z.coerce.number().int().min(1).optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  // The municipality's identity provider (OIDC): the API verifies its access tokens; the web app logs in with it.
  OIDC_ISSUER: z
    .url({
      protocol: /^https?$/,
      error: 'OIDC_ISSUER must be the issuer URL, e.g. https://login.oslo.kommune.no/realms/oslo',
    })
    .optional(),
  OIDC_AUDIENCE: z.string().min(1).default('stay-transition'),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_SCOPE: z.string().min(1).default('openid'),
  OIDC_AUDIENCE_PARAM: z.enum(['none', 'resource', 'audience']).default('none'),
});

export type AppConfig = {
  port: number;
  host: string;
  dataDir: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  databaseUrl: string;
  /** true when the embedded Temporal dev server / PostgreSQL must be started (no address given). */
  embeddedTemporal: boolean;
  embeddedPostgres: boolean;
  /**
   * The embedded development stack of `npm start` on this machine (both servers embedded), where development
   * shortcuts are allowed (generated secrets, the development login, http webhooks to this machine). Everything else
   * is the production shape: see `config/production-requirements.ts`. Never with NODE_ENV=production.
   */
  embeddedStack: boolean;
  temporalPort: number;
  temporalUiPort: number;
  /** The Temporal Web UI administrators are linked to; the embedded dev server's own when Temporal is embedded. */
  temporalUiUrl?: string;
  pgPort: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  requestTimeoutMs: number;
  /** TLS/auth for the Temporal connection (mTLS cert/key paths, API key); see config/temporal-connection.ts. */
  temporalAuth: TemporalAuthConfig;
  /** A prebuilt workflow bundle to use (else dist/workflow-bundle.js when present, else bundle workflows/ at start). */
  workflowBundlePath?: string;
  /** host:port where the worker's Temporal SDK Core serves Prometheus /metrics; unset = off. */
  workerMetricsAddress?: string;
  workerTuning: {
    maxCachedWorkflows?: number;
    maxConcurrentWorkflowTaskExecutions?: number;
    maxConcurrentActivityTaskExecutions?: number;
  };
  /** PostgreSQL pool size per process (unset: the process's own default). */
  pgPoolMax?: number;
  /** How long the worker lets in-flight tasks finish, and the API in-flight requests, after SIGTERM. */
  shutdownGraceMs: number;
  /** How long the API keeps serving (with /ready answering 503) after SIGTERM before it stops accepting. */
  shutdownDelayMs: number;
  /** The municipality's identity provider (OIDC_*); unset = tokens signed with the local HS256 secret. */
  oidc?: OidcConfig;
};

/** OIDC settings: the API verifies access tokens (issuer, audience); the web app logs in as public client `clientId`. */
export type OidcConfig = {
  issuer: string;
  audience: string;
  /** The web app's client id at the provider (authorization code + PKCE, no secret); unset = no login in the web app. */
  clientId?: string;
  scope: string;
  /** Send the audience in the authorization request as this parameter (RFC 8707 `resource`, or `audience`), or not at all. */
  audienceParam: 'none' | 'resource' | 'audience';
};

export type TemporalAuthConfig = {
  /** undefined = automatic: on when a certificate, CA or API key is given. */
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
  apiKey?: string;
};

export const EMBEDDED_PG_USER = 'stays';
export const EMBEDDED_PG_PASSWORD = 'stays';
export const EMBEDDED_PG_DATABASE = 'stays';

/**
 * The embedded stack: no external server named, or the children of `npm start` (EMBEDDED_STACK=true) pointed at the
 * servers it started on this machine. A production environment (NODE_ENV=production) is never the embedded stack, and
 * EMBEDDED_STACK cannot make a remote server count as embedded.
 */
function isEmbeddedStack(e: z.infer<typeof EnvSchema>): boolean {
  if (e.NODE_ENV === 'production') return false;
  if (!e.DATABASE_URL && !e.TEMPORAL_ADDRESS) return true;
  return (
    e.EMBEDDED_STACK === 'true' &&
    isLoopbackHost(hostOfUrl(e.DATABASE_URL)) &&
    isLoopbackHost(e.TEMPORAL_ADDRESS?.replace(/:\d+$/, ''))
  );
}

const hostOfUrl = (url: string | undefined): string | undefined => {
  try {
    return url ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
};

const isLoopbackHost = (host: string | undefined): boolean =>
  host === undefined || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '::1';

/**
 * The HS256 secret of the API and `npm run token`: AUTH_JWT_SECRET (or the file AUTH_JWT_SECRET_FILE names), else —
 * in the embedded stack only — one generated once under DATA_DIR and reused. The worker never reads it.
 */
export function resolveJwtSecret(dataDir: string, explicit?: string): string {
  if (explicit) return explicit;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** A value from the variable itself or from the file `<NAME>_FILE` names (compose/Kubernetes secrets). */
export function envOrFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value) return value;
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    throw new Error(`${name}_FILE names ${file}, which cannot be read: ${(err as NodeJS.ErrnoException).code}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    temporalAddress: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.TEMPORAL_PORT}`,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    databaseUrl:
      e.DATABASE_URL ??
      `postgres://${EMBEDDED_PG_USER}:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${e.PG_PORT}/${EMBEDDED_PG_DATABASE}`,
    embeddedTemporal: !e.TEMPORAL_ADDRESS,
    embeddedPostgres: !e.DATABASE_URL,
    embeddedStack: isEmbeddedStack(e),
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    temporalUiUrl: e.TEMPORAL_UI_URL ?? (e.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`),
    pgPort: e.PG_PORT,
    logLevel: e.LOG_LEVEL,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    temporalAuth: {
      tls: e.TEMPORAL_TLS === undefined ? undefined : e.TEMPORAL_TLS === 'true',
      tlsCertPath: e.TEMPORAL_TLS_CERT,
      tlsKeyPath: e.TEMPORAL_TLS_KEY,
      tlsCaPath: e.TEMPORAL_TLS_CA,
      tlsServerName: e.TEMPORAL_TLS_SERVER_NAME,
      apiKey: e.TEMPORAL_API_KEY,
    },
    workflowBundlePath: e.WORKFLOW_BUNDLE ? resolve(e.WORKFLOW_BUNDLE) : undefined,
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS,
    workerTuning: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    pgPoolMax: e.PG_POOL_MAX,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    oidc: e.OIDC_ISSUER
      ? {
          issuer: e.OIDC_ISSUER.replace(/\/$/, ''),
          audience: e.OIDC_AUDIENCE,
          clientId: e.OIDC_CLIENT_ID,
          scope: e.OIDC_SCOPE,
          audienceParam: e.OIDC_AUDIENCE_PARAM,
        }
      : undefined,
  };
}

/**
 * Whether the API offers the development login: only with DEV_LOGIN=true, which `npm start` sets in the embedded
 * default, and never when an OIDC issuer is configured. DEV_LOGIN=true outside the embedded development stack (or
 * with NODE_ENV=production) is refused outright: anyone reaching the API could make themselves an administrator.
 */
export function devLoginEnabled(env: NodeJS.ProcessEnv, config: Pick<AppConfig, 'embeddedStack'>): boolean {
  if (env.DEV_LOGIN !== 'true') return false;
  if (!config.embeddedStack)
    throw new Error(
      'DEV_LOGIN=true is refused outside the embedded development stack (external DATABASE_URL/TEMPORAL_ADDRESS or NODE_ENV=production): unset it and log in through OIDC_ISSUER.',
    );
  return !env.OIDC_ISSUER;
}
