import pino, { type LoggerOptions } from 'pino';

/**
 * The one place that owns logging options. Redaction is a safety net: code logs identifiers (stayId,
 * workflowId, updateId), never resident references, free text or tokens.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.residentRef',
  '*.resident_ref',
  'residentRef',
  '*.details',
  '*.body',
  'body',
  '*.password',
  '*.token',
];

/**
 * A calendar feed's address is its credential (calendar clients send no token): logged with the secret cut out. A
 * search of the worklist (the API's `search`, the web app's `sok`) is part of a resident reference: cut out too.
 */
export const maskSecretPaths = (url: string) =>
  url
    .replace(/(\/api\/calendar\/feeds\/)[^/?#]+(\.ics)/, '$1[REDACTED]$2')
    .replace(/([?&](?:search|sok)=)[^&#]*/g, '$1[REDACTED]');

type LoggedRequest = {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
};

export function loggerOptions(level: string, name: string): LoggerOptions {
  return {
    level,
    name,
    redact: { paths: redactPaths, censor: '[REDACTED]' },
    // Fastify's request serializer, with secret addresses masked
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: maskSecretPaths(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

export const createLogger = (level: string, name: string) => pino(loggerOptions(level, name));
