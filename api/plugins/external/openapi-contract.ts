/**
 * The OpenAPI document is the API's contract (bench/fuzz.sh checks every answer against it). The routes' zod schemas
 * describe their success; what every route can also answer follows from the mechanisms they share, so it is added
 * here, in one place, instead of in each route:
 * - problem+json for each refusal the shared mechanisms produce (validation 400, authentication 401, scope 403/404,
 *   rule refusals 409/422, a stale If-Match 412, body limits 413/415, rate limits 429, Temporal or PostgreSQL unavailable 503, a command
 *   that did not finish in time 504, an anonymised stay's history 410);
 * - `security: []` on the routes anyone may call (health probes, the login page's configuration, the development
 *   login, a calendar feed), which the authorization matrix test checks against what the routes really do.
 */

type Parameter = { in?: string; name?: string; schema?: Record<string, unknown> };
type Operation = {
  parameters?: Parameter[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: unknown[];
};
type OpenApiDocument = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

/**
 * Routes without a token: probes, the login page's configuration, the development login (embedded only), and a
 * calendar feed, whose secret address is its credential (calendar clients send no Authorization header).
 */
export const PUBLIC_PATHS = ['/health', '/live', '/ready', '/api/auth/config', '/api/calendar/feeds/{token}.ics'];
export const PUBLIC_PREFIXES = ['/api/dev/'];
export const isPublicPath = (path: string): boolean =>
  PUBLIC_PATHS.includes(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix));

/** Probes are neither rate-limited nor validated: they answer 200 or, when a dependency is down, 503. */
const PROBES = ['/health', '/live', '/ready'];

const PROBLEM = {
  type: 'object',
  description: 'RFC 9457 problem details: `detail` says what to change; `errors[]` names the fields.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the request id (X-Request-Id)' },
    code: { type: 'string', description: 'which rule refused the request (rules/refusals.ts)' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const WHY: Record<string, string> = {
  '400': 'The request is malformed: a parameter or a field of the body is invalid (`errors[]`).',
  '401': 'No valid bearer token.',
  '403': 'The token is valid, but the caller may not do this.',
  '404': 'Nothing with this id is visible to the caller.',
  '409': 'The change conflicts with the current state (already done, already registered, the stay is closed).',
  '410': "The stay's personal data was removed when its retention period ended.",
  '412': 'What you read (If-Match) was changed by someone else since; nothing was changed: read it again.',
  '413': 'The body is larger than 64 KB.',
  '415': 'The body is not application/json.',
  '422': 'A rule refuses the change (`code` says which); nothing was changed.',
  '429': 'Too many requests, or too many refused tokens from this address.',
  '503': 'Temporal or PostgreSQL is not reachable right now; try again shortly.',
  '504': 'The stay workflow did not answer in time; the change may still be applied: read before retrying.',
};

const problemResponse = (status: string) => ({
  description: WHY[status],
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The statuses an operation can answer besides its own, from the mechanisms it goes through. */
function sharedStatuses(path: string, method: string, op: Operation): string[] {
  if (PROBES.includes(path)) return ['503'];
  const statuses = ['429', '503', '504'];
  const takesInput = (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined;
  if (takesInput) statuses.push('400');
  // a query the document allows but no answer can serve (a period that ends before it starts): refused for its content
  if (method === 'get' && op.parameters?.some((p) => p.in === 'query')) statuses.push('422');
  // 404: an id in the path, the body or the query that names nothing the caller may see
  if (!isPublicPath(path)) statuses.push('401', '403', '404');
  else if (path.includes('{')) statuses.push('404');
  if (['post', 'put', 'patch', 'delete'].includes(method)) statuses.push('409', '422');
  if (op.requestBody !== undefined) statuses.push('413', '415');
  // optimistic concurrency: a version sent with If-Match that is no longer current
  if (op.parameters?.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'if-match')) statuses.push('412');
  if (method === 'get' && path.startsWith('/api/stays/{id}')) statuses.push('410');
  return statuses;
}

/** Path and query strings may not hold U+0000 (api/plugins/app/text-input.ts refuses it with 400): said here. */
function excludeNul(schema: Record<string, unknown> | undefined): void {
  if (schema?.type !== 'string' || schema.format === 'uuid') return;
  const rule = { not: { pattern: '\\u0000' } };
  if (schema.not) schema.allOf = [...((schema.allOf as unknown[]) ?? []), rule];
  else Object.assign(schema, rule);
}

/** Completes the generated document in place (see the module comment) and returns it. */
export function completeContract<T extends object>(document: T): T {
  const doc = document as OpenApiDocument;
  doc.components ??= {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), Problem: PROBLEM };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(operations)) {
      op.responses ??= {};
      for (const status of sharedStatuses(path, method, op))
        if (!op.responses[status]) op.responses[status] = problemResponse(status);
      // 204 has no body (RFC 9110 §15.3.5); zod's null schema would otherwise document a JSON one
      const noContent = op.responses['204'] as { content?: unknown } | undefined;
      if (noContent) delete noContent.content;
      if (isPublicPath(path)) op.security = [];
      for (const parameter of op.parameters ?? []) excludeNul(parameter.schema);
    }
  }
  return document;
}
