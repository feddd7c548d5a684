import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function requireBearerToken(token: string): RequestHandler {
  return (request, _response, next) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !sameSecret(match[1], token)) {
      next(new HttpError(401, 'unauthorized', 'A valid admin bearer token is required'));
      return;
    }
    next();
  };
}
