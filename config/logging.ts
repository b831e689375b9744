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

export function loggerOptions(level: string, name: string): LoggerOptions {
  return { level, name, redact: { paths: redactPaths, censor: '[REDACTED]' } };
}

export const createLogger = (level: string, name: string) => pino(loggerOptions(level, name));
