import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../infra/logger';
import { unavailableAnswer } from './unavailable';

/** The one error shape every endpoint answers with: `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * What the body parser and the router refuse before a route runs, by their error `type`: malformed,
 * oversized, wrongly encoded or undecodable requests are the client's, never a 500.
 */
const REQUEST_ERRORS: Readonly<Record<string, { code: string; message: string }>> = {
  'entity.parse.failed': { code: 'invalid_body', message: 'The request body is not valid JSON' },
  'entity.too.large': { code: 'body_too_large', message: 'The request body is too large' },
  'entity.verify.failed': { code: 'invalid_body', message: 'The request body was refused' },
  'charset.unsupported': { code: 'unsupported_charset', message: 'Request bodies must be UTF-8' },
  'encoding.unsupported': {
    code: 'unsupported_content_encoding',
    message: 'The Content-Encoding is not supported (identity, gzip, deflate or br)',
  },
  'request.aborted': { code: 'request_aborted', message: 'The request was aborted' },
  'request.size.invalid': { code: 'invalid_body', message: 'The body does not match its Content-Length' },
};

function clientErrorOf(error: unknown): { status: number; code: string; message: string } | undefined {
  const { status, statusCode, type } = (error ?? {}) as {
    status?: unknown;
    statusCode?: unknown;
    type?: unknown;
  };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499) return undefined;
  const known = typeof type === 'string' ? REQUEST_ERRORS[type] : undefined;
  if (known) return { status: code, ...known };
  // A body whose compression is broken, a path whose percent-encoding is not UTF-8, ...
  return { status: code, code: 'bad_request', message: 'The request is malformed' };
}

export const notFoundHandler: RequestHandler = (request, _response, next) => {
  next(new HttpError(404, 'not_found', `No route for ${request.method} ${request.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    if (error instanceof HttpError) {
      response.status(error.status).json({
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
      return;
    }
    const clientError = clientErrorOf(error);
    if (clientError) {
      response
        .status(clientError.status)
        .json({ error: { code: clientError.code, message: clientError.message } });
      return;
    }
    const unavailable = unavailableAnswer(error);
    if (unavailable) {
      logger.warn({ err: error, method: request.method, path: request.route?.path }, unavailable.message);
      response.status(503).json({ error: unavailable });
      return;
    }
    logger.error({ err: error, method: request.method, path: request.route?.path }, 'request failed');
    response.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
  };
}
