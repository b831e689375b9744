import {
  isGrpcServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isRefusalCode, type Refusal, type RefusalCode } from '../../../rules/refusals';
import { CommandRefused } from '../../../workflows/stay/stay-state';
import { HttpProblem, STATUS_TITLES } from '../../problem';

type Problem = { status: number; title: string; detail: string; extra?: Record<string, unknown> };

/** The HTTP status of each refusal of the stay's rules: the one place where a refusal code becomes HTTP. */
const REFUSAL_STATUS: Record<RefusalCode, number> = {
  'unknown-milestone': 404,
  'already-done': 409,
  'not-open': 409,
  'stay-closed': 409,
  'date-before-admission': 422,
  'date-in-future': 422,
  'date-too-early': 422,
  'date-before-prerequisite': 422,
  'prerequisite-missing': 422,
  'not-permitted': 403,
  'nothing-to-correct': 404,
  'correction-breaks-rules': 422,
  'no-change': 409,
  'not-in-good-time': 422,
  'settled-by-event': 409,
  'nothing-to-confirm': 409,
};

function refused({ code, message }: Refusal): Problem {
  const status = REFUSAL_STATUS[code];
  return { status, title: STATUS_TITLES[status]!, detail: message, extra: { code } };
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

function isTimeout(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return true;
  if (isGrpcServiceError(err) && err.code === GRPC_DEADLINE_EXCEEDED) return true;
  const cause = (err as { cause?: unknown })?.cause;
  return cause !== undefined && cause !== err && isTimeout(cause);
}

function isUnavailable(err: unknown): boolean {
  if (isGrpcServiceError(err) && err.code === GRPC_UNAVAILABLE) return true;
  const code = (err as { code?: unknown })?.code;
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '57P03') return true;
  const cause = (err as { cause?: unknown })?.cause;
  return cause !== undefined && cause !== err && isUnavailable(cause);
}

type ValidationEntry = { keyword: string; params: Record<string, unknown> };
/**
 * A refinement (not one marking itself a format check), or a text that is empty (once trimmed: "\f" has the length
 * the document asks for): the document cannot state either, so a request it allows can still fail them.
 */
const isContentRefusal = (v: ValidationEntry): boolean =>
  v.keyword === 'custom'
    ? !(v.params as { params?: { format?: boolean } }).params?.format
    : v.keyword === 'too_small' && v.params.origin === 'string' && v.params.minimum === 1;

/** Turns any error into a problem a person can act on; internals (stack, SQL, Temporal ids) never leave. */
export function toProblem(err: unknown): Problem {
  if (err instanceof HttpProblem) return { status: err.status, title: err.title, detail: err.detail, extra: err.extra };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'invalid',
    }));
    // Well-formed by the OpenAPI document but refused by a rule the document cannot state (fields that depend on
    // each other, a period too long, a duplicate in a list): 422, as the rule engine's own refusals are. A format the
    // document names (a date) is checked by a refinement too, but marks itself: malformed is a bad request.
    const semantic = err.validation.every(isContentRefusal);
    return {
      status: semantic ? 422 : 400,
      title: STATUS_TITLES[semantic ? 422 : 400]!,
      detail: `The request is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
      extra: semantic ? { code: 'invalid-record', errors } : { errors },
    };
  }
  if (err instanceof CommandRefused) return refused(err.refusal);
  if (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    isRefusalCode(err.cause.type)
  ) {
    return refused({ code: err.cause.type, message: err.cause.message });
  }
  if (err instanceof WorkflowNotFoundError) {
    return { status: 404, title: 'Not Found', detail: 'No such stay.' };
  }
  if (isTimeout(err)) {
    return {
      status: 504,
      title: 'Gateway Timeout',
      detail:
        'The stay workflow did not answer in time (is the worker running?). The change may still be applied: read the stay before you retry.',
    };
  }
  if (isUnavailable(err)) {
    return {
      status: 503,
      title: 'Service Unavailable',
      detail: 'Temporal or the database is not reachable right now; try again shortly.',
    };
  }
  const fe = err as FastifyError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, title: STATUS_TITLES[fe.statusCode] ?? 'Bad Request', detail: fe.message };
  }
  return {
    status: 500,
    title: 'Internal Server Error',
    detail: 'Something went wrong on our side. It has been logged; try again later.',
  };
}

/** 405 with `Allow` when the path exists with other methods, else 404: an undeclared method is not a missing path. */
function notFound(request: FastifyRequest, reply: FastifyReply) {
  return methodNotAllowed(request, reply) ?? missingPath(request, reply);
}

/** 405 with `Allow` when routes take this path with other methods only; undefined when the method is one of them. */
function methodNotAllowed(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  const allowed = allowedMethods(request.server.routeTable ?? [], path);
  // a method the path takes that still found nothing (the web app's catch-all declines /api/...) is a missing path
  if (allowed.length === 0 || allowed.includes(request.method)) return undefined;
  reply.header('allow', allowed.join(', '));
  return sendProblem(reply, request, {
    status: 405,
    title: 'Method Not Allowed',
    detail: `${path} does not take ${request.method}; it takes ${allowed.join(', ')} (see /docs).`,
  });
}

function missingPath(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0]!;
  return sendProblem(reply, request, {
    status: 404,
    title: 'Not Found',
    detail: `There is no ${request.method} ${path} in this API; see /docs.`,
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A parameter segment, with the fixed suffix some carry (`:token.ics` matches `abc.ics`, not `abc`). */
const paramPattern = (part: string) => {
  const dot = part.indexOf('.');
  return dot < 0 ? '[^/]+' : `[^/]+${escapeRegExp(part.slice(dot))}`;
};

/** A route pattern (`/api/stays/:id`, `/assets/*`) as a regular expression for a concrete path. */
const patternOf = (url: string): RegExp =>
  new RegExp(
    `^${url
      .replace(/\/+$/, '')
      .split('/')
      .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? paramPattern(part) : escapeRegExp(part)))
      .join('/')}/?$`,
  );

/**
 * The methods some route takes at this path (HEAD with GET), for a 405 with `Allow` instead of a 404. Catch-all routes
 * (the web app's `/*`) do not count.
 */
export function allowedMethods(routes: { method: string; url: string }[], path: string): string[] {
  // catch-all routes (the web app's `/*`, static files) name no path: a path only they match is missing, not misused
  const matching = routes.filter((r) => !r.url.includes('*') && patternOf(r.url).test(path));
  // where two patterns match (`:feedId` and `:token.ics`), the path belongs to the one with more fixed text
  const fixedText = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, '').length;
  const most = Math.max(...matching.map((r) => fixedText(r.url)));
  const methods = new Set(matching.filter((r) => fixedText(r.url) === most).map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, p: Problem) {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: p.title,
      status: p.status,
      detail: p.detail,
      instance: request.id,
      ...(p.extra ?? {}),
    });
}

export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err, request, reply) => {
      // a request no route takes can fail before the not-found handler runs (a QUERY without a body type)
      if (request.is404) return notFound(request, reply);
      // a path parameter refused where another route owns the path (DELETE …/feeds/x.ics reaches `:feedId`, but
      // that address is the GET-only `:token.ics`): the method is wrong there, not the parameter
      const wrongMethod =
        hasZodFastifySchemaValidationErrors(err) && err.validationContext === 'params'
          ? methodNotAllowed(request, reply)
          : undefined;
      if (wrongMethod) return wrongMethod;
      const problem = toProblem(err);
      if (problem.status >= 500) request.log.error({ err, status: problem.status }, 'request failed');
      else request.log.info({ status: problem.status, code: problem.extra?.code }, 'request refused');
      return sendProblem(reply, request, problem);
    });
    app.setNotFoundHandler((request, reply) => notFound(request, reply));
  },
  { name: 'problem-details' },
);
