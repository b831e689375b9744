/** An error that becomes an RFC 9457 problem+json response as it is: its detail is written for the caller. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);
/** Well-formed by the document, refused for its content (a time that does not exist on Oslo's clocks). */
export const unprocessable = (detail: string, errors?: { path: string; message: string }[]) =>
  new HttpProblem(422, 'Unprocessable Content', detail, errors ? { errors } : {});

/**
 * A body refused by a zod schema chosen in the handler (it depends on a path parameter: the milestone, the event type):
 * 422 with every field named. The document can only say "an object with doneAt/date", so such a body is valid for it
 * and the refusal is about its content, as with a rule.
 */
export function invalidBody(what: string, issues: { path: PropertyKey[]; message: string }[]): HttpProblem {
  const errors = issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message }));
  return new HttpProblem(
    422,
    'Unprocessable Content',
    `${what} is not valid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
    { code: 'invalid-record', errors },
  );
}

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
