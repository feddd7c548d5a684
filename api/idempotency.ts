import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Database } from '../infra/database';
import { HttpError } from './errors';

const UNIQUE_VIOLATION = '23505';

/**
 * `Idempotency-Key`: the first call's answer is stored and returned to every retry with the same key
 * and the same request. A key reused for a different request is refused; a retry that arrives while
 * the first call is still running is told so. Server errors are not stored, so they can be retried.
 */
export function idempotency(db: Database, scope: string): RequestHandler {
  return async (request, response, next) => {
    const key = request.header('idempotency-key');
    if (key === undefined || request.method === 'GET') {
      next();
      return;
    }
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      next(
        new HttpError(
          400,
          'invalid_idempotency_key',
          'Idempotency-Key must be 1 to 200 printable characters',
        ),
      );
      return;
    }
    const rawBody = (request as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n`)
      .update(rawBody)
      .digest('hex');
    try {
      await db('api_idempotency').insert({ scope, key, request_hash: requestHash });
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) {
        next(error);
        return;
      }
      const stored = await db('api_idempotency').where({ scope, key }).first();
      if (stored.request_hash !== requestHash) {
        next(
          new HttpError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was used for a different request',
          ),
        );
      } else if (stored.response_status === null) {
        next(
          new HttpError(409, 'request_in_progress', 'A request with this Idempotency-Key is still running'),
        );
      } else {
        response.status(stored.response_status).set('Idempotent-Replay', 'true').json(stored.response_body);
      }
      return;
    }
    const send = response.json.bind(response) as Response['json'];
    response.json = (body: unknown) => {
      const store =
        response.statusCode >= 500
          ? db('api_idempotency').where({ scope, key }).delete()
          : db('api_idempotency')
              .where({ scope, key })
              .update({ response_status: response.statusCode, response_body: JSON.stringify(body) });
      void store.then(
        () => send(body),
        () => send(body),
      );
      return response;
    };
    next();
  };
}
