import pino, { type Logger } from 'pino';

/**
 * Paths whose values are secrets wherever they appear in a log line. Redaction is by key, so every
 * object that carries a password or a token must use one of these names.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'apiPassword',
  '*.apiPassword',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'req.headers["x-vpnflow-signature"]',
  'headers.authorization',
];

export function createLogger(options: { level: string; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
