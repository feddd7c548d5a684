import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Database } from '../infra/database';
import { HttpError } from './errors';

/**
 * WHMCS signs every request: hex HMAC-SHA256 over `timestamp \n nonce \n METHOD \n path \n raw body`
 * with the shared secret, sent as `X-Vpnflow-Timestamp` (Unix seconds), `X-Vpnflow-Nonce` (random,
 * per request) and `X-Vpnflow-Signature`. A request older than five minutes, or one whose signature
 * was seen before, is refused; the nonce lets two genuine identical calls in the same second through.
 */
export const MAX_REQUEST_AGE_SECONDS = 300;

/** The OpenAPI security scheme name of signed WHMCS requests. */
export const WHMCS_SECURITY = 'whmcsSignature';

export interface SignedRequest {
  timestamp: number;
  nonce: string;
  method: string;
  path: string;
  body: string;
}

export function signWhmcsRequest(secret: string, request: SignedRequest): string {
  const { timestamp, nonce, method, path, body } = request;
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${nonce}\n${method.toUpperCase()}\n${path}\n${body}`)
    .digest('hex');
}

const UNIQUE_VIOLATION = '23505';
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

export function requireWhmcsSignature(options: {
  secret: string;
  db: Database;
  now?: () => number;
}): RequestHandler {
  const now = options.now ?? Date.now;
  return async (request, _response, next) => {
    const timestampHeader = request.header('x-vpnflow-timestamp') ?? '';
    const nonce = request.header('x-vpnflow-nonce') ?? '';
    const signature = (request.header('x-vpnflow-signature') ?? '').toLowerCase();
    if (!/^\d{1,12}$/.test(timestampHeader) || !NONCE.test(nonce) || !/^[0-9a-f]{64}$/.test(signature)) {
      const message =
        'X-Vpnflow-Timestamp, X-Vpnflow-Nonce (16 to 64 of A-Z a-z 0-9 _ -) and X-Vpnflow-Signature are required';
      next(new HttpError(401, 'unsigned', message));
      return;
    }
    const timestamp = Number(timestampHeader);
    if (Math.abs(now() / 1000 - timestamp) > MAX_REQUEST_AGE_SECONDS) {
      next(
        new HttpError(401, 'stale_request', 'The request timestamp is more than five minutes away from now'),
      );
      return;
    }
    const body = (request as { rawBody?: Buffer }).rawBody?.toString('utf8') ?? '';
    const expected = signWhmcsRequest(options.secret, {
      timestamp,
      nonce,
      method: request.method,
      path: request.originalUrl,
      body,
    });
    if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) {
      next(new HttpError(401, 'bad_signature', 'The request signature does not match'));
      return;
    }
    try {
      // Signatures older than the accepted age can never be presented again, so they are dropped here.
      await options.db.raw(
        `with purged as (delete from whmcs_request_nonces where seen_at < now() - interval '10 minutes')
         insert into whmcs_request_nonces (signature) values (?)`,
        [signature],
      );
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        next(new HttpError(401, 'replayed_request', 'This signed request was already received'));
        return;
      }
      next(error);
      return;
    }
    next();
  };
}
