import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { HttpError } from './errors';

/**
 * The client panel's credential: WHMCS, which knows who is logged in, asks for a token for one
 * service of that client (a signed WHMCS request) and hands it to the client's browser. The token
 * names the service and the client and expires within the hour; it is an HMAC with a key derived from
 * WHMCS_SHARED_SECRET, so nothing needs storing and the secret itself never leaves the servers.
 */

/** The OpenAPI security scheme name of client-panel requests. */
export const CLIENT_SECURITY = 'clientToken';
export const CLIENT_TOKEN_TTL_SECONDS = 3_600;

export interface ClientTokenClaims {
  serviceId: number;
  clientId: number;
  /** Unix seconds. */
  expiresAt: number;
}

const TOKEN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

function tokenKey(sharedSecret: string): Buffer {
  return createHmac('sha256', sharedSecret).update('vpnflow client token v1').digest();
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function issueClientToken(sharedSecret: string, claims: ClientTokenClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ sid: claims.serviceId, cid: claims.clientId, exp: claims.expiresAt }),
  ).toString('base64url');
  return `${payload}.${mac(tokenKey(sharedSecret), payload)}`;
}

/** The claims of a genuine, unexpired token; undefined for anything else. */
export function verifyClientToken(
  sharedSecret: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): ClientTokenClaims | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, payload, signature] = match;
  const expected = Buffer.from(mac(tokenKey(sharedSecret), payload));
  if (!timingSafeEqual(Buffer.from(signature), expected)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { sid, cid, exp } = (decoded ?? {}) as Record<string, unknown>;
  if (![sid, cid, exp].every((value) => Number.isSafeInteger(value))) return undefined;
  if ((exp as number) <= nowSeconds) return undefined;
  return { serviceId: sid as number, clientId: cid as number, expiresAt: exp as number };
}

const CLAIMS = 'clientToken';

export function requireClientToken(sharedSecret: string, now?: () => number): RequestHandler {
  return (request, response, next) => {
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const claims =
      match &&
      verifyClientToken(sharedSecret, match[1], now === undefined ? undefined : Math.floor(now() / 1000));
    if (!claims) {
      next(new HttpError(401, 'unauthorized', 'A valid, unexpired client token is required'));
      return;
    }
    // Refused before anything is looked up, so a token cannot tell which other services exist.
    const service = /^\/services\/([^/]+)/.exec(request.path)?.[1];
    if (service !== undefined && service !== String(claims.serviceId)) {
      next(new HttpError(403, 'forbidden', 'The client token is for another service'));
      return;
    }
    response.locals[CLAIMS] = claims;
    next();
  };
}

/**
 * Lets the token's holder see only the service it was issued for, while that client still owns it and
 * the service is not terminated.
 */
export function authorizeClientService(
  response: Response,
  service: { id: number; clientId: number; status: string },
) {
  const claims = response.locals[CLAIMS] as ClientTokenClaims | undefined;
  if (!claims || claims.serviceId !== service.id || claims.clientId !== service.clientId) {
    throw new HttpError(403, 'forbidden', 'The client token is for another service');
  }
  if (service.status === 'terminated') {
    throw new HttpError(403, 'service_terminated', 'The service is terminated');
  }
}
