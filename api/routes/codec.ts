import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { Config } from '../../infra/config';
import { PayloadDecryptionError } from '../../infra/payload-codec';
import { requireBearerToken } from '../auth';
import { HttpError } from '../errors';

export interface CodecRouteOptions {
  codec: PayloadCodec;
  adminToken: string;
  /** TEMPORAL_UI_URL: the one browser origin allowed to call the codec. */
  temporalUiUrl: string;
  nodeEnv: Config['NODE_ENV'];
}

// One Temporal payload may be 2 MB; base64 and JSON make the request about a third larger.
const BODY_LIMIT = '8mb';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** The remote codec format is protobuf JSON: bytes fields are base64 and empty ones may be missing. */
const codecBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).nullish(),
      data: base64.nullish(),
    }),
  ),
});

type JsonPayload = z.infer<typeof codecBody>['payloads'][number];

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

function parsePayloads(body: unknown): Payload[] {
  const parsed = codecBody.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    throw new HttpError(
      400,
      'invalid_body',
      `Expected a JSON body { payloads: [{ metadata, data }] }; ${problems[0]}`,
      problems,
    );
  }
  return parsed.data.payloads.map(fromJson);
}

/** The Temporal Web UI calls from its own origin, with credentials when so configured. */
function allowTemporalUi(uiOrigin: string): RequestHandler {
  return (request, response, next) => {
    response.set({
      'Access-Control-Allow-Origin': uiOrigin,
      'Access-Control-Allow-Credentials': 'true',
    });
    if (request.method !== 'OPTIONS') {
      next();
      return;
    }
    response
      .set({
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'content-type, x-namespace, authorization',
        'Access-Control-Max-Age': '600',
      })
      .status(204)
      .end();
  };
}

/**
 * Decrypted payloads are for authorised operators only: the admin bearer token. Outside production a
 * request without any token is also let in when its Origin is the configured UI, because the local
 * dev server's UI sends no token; Origin is trivially forged by non-browser clients, which is why this
 * never applies in production.
 */
function authorizeOperator(options: CodecRouteOptions, uiOrigin: string): RequestHandler {
  const requireToken = requireBearerToken(options.adminToken);
  const trustUiWithoutToken = options.nodeEnv !== 'production';
  return (request, response, next) => {
    const fromUiWithoutToken = !request.headers.authorization && request.headers.origin === uiOrigin;
    if (trustUiWithoutToken && fromUiWithoutToken) {
      next();
      return;
    }
    requireToken(request, response, next);
  };
}

/** Temporal's remote codec endpoints (`--ui-codec-endpoint <api>/v1/codec`), never logging contents. */
export function codecRoutes(options: CodecRouteOptions): Router {
  const uiOrigin = new URL(options.temporalUiUrl).origin;
  const router = Router();
  router.use(
    '/v1/codec',
    allowTemporalUi(uiOrigin),
    authorizeOperator(options, uiOrigin),
    express.json({ limit: BODY_LIMIT }),
  );
  router.post('/v1/codec/encode', async (request, response) => {
    const payloads = await options.codec.encode(parsePayloads(request.body));
    response.json({ payloads: payloads.map(toJson) });
  });
  router.post('/v1/codec/decode', async (request, response) => {
    const payloads = await Promise.all(
      parsePayloads(request.body).map(async (payload, index) => {
        try {
          const [decoded] = await options.codec.decode([payload]);
          return decoded;
        } catch (error) {
          if (error instanceof PayloadDecryptionError) {
            throw new HttpError(400, 'undecryptable_payload', `payloads.${index}: ${error.message}`);
          }
          throw error;
        }
      }),
    );
    response.json({ payloads: payloads.map(toJson) });
  });
  return router;
}
