import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecryptionError } from '../../infra/payload-codec';
import { sameSecret } from '../auth';
import { HttpError } from '../errors';
import type { Mount, OpenApiRegistry } from '../openapi';

export interface CodecRouteOptions {
  codec: PayloadCodec;
  openApi: OpenApiRegistry;
  /** The failed-authentication throttle shared by every audience. */
  guard: RequestHandler;
  adminToken: string;
  /** TEMPORAL_CODEC_TOKEN: what the Temporal UI presents, in the codec endpoint's path. */
  codecToken: string;
  /** TEMPORAL_UI_URL: the one browser origin allowed to call the codec. */
  temporalUiUrl: string;
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
 * Decrypted payloads are for authorised operators only, whatever the environment: the Temporal UI
 * presents the codec token in the endpoint's path (it sends no headers of its own), scripts send the
 * admin or codec token as a bearer token.
 */
function authorizeOperator(options: CodecRouteOptions): RequestHandler {
  return (request, _response, next) => {
    const pathToken = (request.params as { token?: string }).token;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const admitted =
      pathToken !== undefined
        ? sameSecret(pathToken, options.codecToken)
        : bearer !== undefined &&
          (sameSecret(bearer, options.adminToken) || sameSecret(bearer, options.codecToken));
    if (!admitted) {
      next(new HttpError(401, 'unauthorized', 'The codec token or an admin bearer token is required'));
      return;
    }
    next();
  };
}

const codecAnswer = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()), data: z.string() })),
});

/**
 * Temporal's remote codec endpoints (`--ui-codec-endpoint <api>/v1/codec/<token>`), never logging
 * contents. They speak the codec's protobuf-JSON format with a body limit of their own, so they are
 * routed here and only documented in the registry.
 */
export function codecRoutes(options: CodecRouteOptions, mount: Mount): Router {
  const uiOrigin = new URL(options.temporalUiUrl).origin;
  const router = Router();
  const operatorOnly = [
    allowTemporalUi(uiOrigin),
    options.guard,
    authorizeOperator(options),
    express.json({ limit: BODY_LIMIT }),
  ];
  for (const [prefix, security] of [
    ['/v1/codec/:token', []],
    ['/v1/codec', mount.security],
  ] as const) {
    router.post(`${prefix}/encode`, operatorOnly, encode);
    router.post(`${prefix}/decode`, operatorOnly, decode);
    router.options([`${prefix}/encode`, `${prefix}/decode`], allowTemporalUi(uiOrigin));
    for (const action of ['encode', 'decode']) {
      options.openApi.register({
        method: 'post',
        path: `${prefix}/${action}`,
        summary: `${action === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads for operators (the Temporal UI's remote codec)`,
        description: prefix.includes(':token')
          ? 'The codec token (TEMPORAL_CODEC_TOKEN) is the path segment: the Temporal UI sends no headers of its own.'
          : 'With the admin or codec token as a bearer token.',
        tags: ['operations'],
        request: { body: codecBody },
        responses: {
          200: { description: 'The payloads', schema: codecAnswer },
          401: { description: 'No valid token' },
        },
        ...(security.length > 0 ? { security: [...security] } : {}),
      });
    }
  }
  return router;

  async function encode(request: express.Request, response: express.Response) {
    const payloads = await options.codec.encode(parsePayloads(request.body));
    response.json({ payloads: payloads.map(toJson) });
  }

  async function decode(request: express.Request, response: express.Response) {
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
  }
}
