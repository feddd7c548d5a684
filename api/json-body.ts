import express, { type Request, type RequestHandler } from 'express';
import { HttpError } from './errors';

export const JSON_BODY_LIMIT = '256kb';
/** Deeper than any request of this API; a deeper body is refused before anything walks it. */
const MAX_JSON_DEPTH = 32;

/** The body exactly as received: signatures and idempotency hashes are over these bytes. */
export type RawBodyRequest = Request & { rawBody?: Buffer };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every(
    (parameter) => !parameter.startsWith('charset=') || /^charset="?utf-8"?$/.test(parameter),
  );
}

/** Whether a parsed JSON value nests deeper than `limit`, walked without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const item of Object.values(current)) pending.push({ value: item, depth: depth + 1 });
  }
  return false;
}

/**
 * Turns `rawBody` into `body`: empty stays undefined, anything else must be `application/json` in
 * UTF-8, valid and not absurdly deep. Each refusal is a 4xx in the one error shape.
 */
export const parseJsonBody: RequestHandler = (request, _response, next) => {
  const raw = (request as RawBodyRequest).rawBody ?? Buffer.alloc(0);
  if (raw.length === 0) {
    request.body = undefined;
    next();
    return;
  }
  if (!isJsonMediaType(request.header('content-type'))) {
    next(new HttpError(415, 'unsupported_media_type', 'Request bodies must be application/json in UTF-8'));
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(raw));
  } catch {
    next(new HttpError(400, 'invalid_body', 'The request body is not valid JSON in UTF-8'));
    return;
  }
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
    next(new HttpError(400, 'invalid_body', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`));
    return;
  }
  request.body = parsed;
  next();
};

/** The body parser of the bearer-token audiences: raw bytes kept for idempotency, then JSON. */
export function jsonBody(): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: JSON_BODY_LIMIT }),
    (request, _response, next) => {
      (request as RawBodyRequest).rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      next();
    },
    parseJsonBody,
  ];
}
