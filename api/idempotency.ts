import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { IdempotencyStore } from '../store/idempotency-store';
import { HttpError } from './errors';
import type { RawBodyRequest } from './json-body';

/**
 * `Idempotency-Key`: the first call's answer is stored and returned to every retry with the same key
 * and the same request. A key reused for a different request is refused; a retry that arrives while
 * the first call is still running is told so, until that call is a minute old and evidently lost.
 * Server errors are not stored, so they can be retried.
 */
export function idempotency(store: IdempotencyStore, scope: string): RequestHandler {
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
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n`)
      .update((request as RawBodyRequest).rawBody ?? Buffer.alloc(0))
      .digest('hex');
    const claim = await store.claim(scope, key, requestHash);
    if (claim.status === 'mismatch') {
      next(
        new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request'),
      );
      return;
    }
    if (claim.status === 'in-progress') {
      next(new HttpError(409, 'request_in_progress', 'A request with this Idempotency-Key is still running'));
      return;
    }
    if (claim.status === 'replay') {
      response.status(claim.responseStatus).set('Idempotent-Replay', 'true').json(claim.responseBody);
      return;
    }
    const send = response.json.bind(response) as Response['json'];
    response.json = (body: unknown) => {
      const stored =
        response.statusCode >= 500
          ? store.release(scope, key)
          : store.complete(scope, key, response.statusCode, body);
      void stored.then(
        () => send(body),
        () => send(body),
      );
      return response;
    };
    next();
  };
}
