import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { NonceStore } from '../store/nonce-store';
import { HttpError } from './errors';
import { JSON_BODY_LIMIT, parseJsonBody, type RawBodyRequest } from './json-body';

/**
 * WHMCS signs every request: hex HMAC-SHA256 over `timestamp \n nonce \n METHOD \n path \n body`
 * with the shared secret, where path is the request target as sent (query string included) and body
 * the exact bytes sent. The headers are `X-Vpnflow-Timestamp` (Unix seconds), `X-Vpnflow-Nonce`
 * (16 to 64 random `[A-Za-z0-9_-]`, new for every request) and `X-Vpnflow-Signature`. A request more
 * than five minutes from now, or whose nonce was seen before, is refused.
 */
export const MAX_REQUEST_AGE_SECONDS = 300;

/** The OpenAPI security scheme name of signed WHMCS requests. */
export const WHMCS_SECURITY = 'whmcsSignature';

export const WHMCS_SIGNATURE_DESCRIPTION =
  'Hex HMAC-SHA256 with WHMCS_SHARED_SECRET over "timestamp\\nnonce\\nMETHOD\\npath?query\\n" followed by ' +
  'the exact body bytes, sent with X-Vpnflow-Timestamp (Unix seconds) and X-Vpnflow-Nonce (16-64 of ' +
  '[A-Za-z0-9_-], never reused). Bodies are application/json in UTF-8 without Content-Encoding.';

export interface SignedRequest {
  timestamp: number;
  nonce: string;
  method: string;
  path: string;
  body: string | Buffer;
}

export function signWhmcsRequest(secret: string, request: SignedRequest): string {
  const { timestamp, nonce, method, path, body } = request;
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${nonce}\n${method.toUpperCase()}\n${path}\n`)
    .update(body)
    .digest('hex');
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Reads the body as bytes, checks the signature over them, and only then parses them: nothing of an
 * unauthenticated request is interpreted. Compressed bodies are refused, so what is signed is what
 * was sent.
 */
export function requireWhmcsSignature(options: {
  secret: string;
  nonces: NonceStore;
  now?: () => number;
}): RequestHandler[] {
  const now = options.now ?? Date.now;
  const verify: RequestHandler = async (request, _response, next) => {
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
    const expected = signWhmcsRequest(options.secret, {
      timestamp,
      nonce,
      method: request.method,
      path: request.originalUrl,
      body: (request as RawBodyRequest).rawBody ?? Buffer.alloc(0),
    });
    if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(signature, 'hex'))) {
      next(new HttpError(401, 'bad_signature', 'The request signature does not match'));
      return;
    }
    if ((await options.nonces.remember(nonce)) === 'seen') {
      next(new HttpError(401, 'replayed_request', 'This request nonce was already used'));
      return;
    }
    next();
  };
  return [
    express.raw({ type: () => true, limit: JSON_BODY_LIMIT, inflate: false }),
    keepRawBody,
    verify,
    parseJsonBody,
  ];
}

/** express.raw leaves the bytes in `body`; they move to `rawBody` until the signature is checked. */
const keepRawBody: RequestHandler = (request, _response, next) => {
  const raw = request.body;
  (request as RawBodyRequest).rawBody = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  request.body = undefined;
  next();
};
