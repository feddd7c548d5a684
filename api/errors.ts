import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../infra/logger';

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
    // express.json() reports unparsable bodies with a status and type of its own.
    const bodyError = error as { type?: string; status?: number };
    if (bodyError.type === 'entity.parse.failed' || bodyError.type === 'entity.too.large') {
      response.status(bodyError.status ?? 400).json({
        error: { code: 'invalid_body', message: 'The request body is not valid JSON or is too large' },
      });
      return;
    }
    logger.error({ err: error, method: request.method, path: request.path }, 'request failed');
    response.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
  };
}
