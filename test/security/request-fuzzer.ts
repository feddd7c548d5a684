import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { signWhmcsRequest } from '../../api/whmcs-signature';

/**
 * Requests generated from the API's own OpenAPI document: mostly well-formed and authenticated, so
 * that they reach the handlers, with hostile values at every level — NUL, lone surrogates, words
 * RouterOS treats specially, huge and negative numbers, wrong types, deep and large JSON, other
 * encodings and content types, odd path ids.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
};

interface OperationObject {
  parameters?: { name: string; in: 'path' | 'query'; schema: JsonSchema; required?: boolean }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  security?: Record<string, unknown>[];
}

export type Audience = 'whmcs' | 'admin' | 'client' | 'public';

export interface FuzzOperation {
  method: string;
  /** OpenAPI form, `/v1/admin/routers/{id}`. */
  path: string;
  audience: Audience;
  pathParameters: string[];
  query: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
}

export function operationsOf(document: {
  paths: Record<string, Record<string, OperationObject>>;
}): FuzzOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const scheme = Object.keys(operation.security?.[0] ?? {})[0];
      const audience: Audience =
        scheme === 'whmcsSignature'
          ? 'whmcs'
          : scheme === 'adminBearer'
            ? 'admin'
            : scheme === 'clientToken'
              ? 'client'
              : 'public';
      return {
        method: method.toUpperCase(),
        path,
        audience,
        pathParameters: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema })),
        body: operation.requestBody?.content['application/json'].schema,
      };
    }),
  );
}

/** Strings that have broken or could break something: storage, RouterOS words, paths, encodings. */
const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '=name=admin',
  '?name=admin',
  '!done',
  '/ppp/secret/remove',
  '[svc=1 client=1]',
  '../../etc/passwd',
  '%ff%fe',
  '<img src=x onerror=alert(1)>',
  "'; drop table services; --",
  '\r\nX-Injected: 1',
  ' ',
  '',
  'Zażółć gęślą jaźń',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '9'.repeat(400),
  'x'.repeat(70_000),
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 2 ** 63, 9_300_000_000, 1_000_000.5, 0.0001, 1.5e-10),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [[[[]]]], { '\u0000': 1 }),
  fc.jsonValue({ maxDepth: 3 }),
);

function valueOf(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return hostileValue;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((option) => valueOf(option, depth + 1)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => valueOf({ ...schema, type }, depth + 1)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: Math.max(Math.ceil(schema.minimum ?? schema.exclusiveMinimum ?? 0), -1e9),
        max: Math.min(Math.floor(schema.maximum ?? 2_000_000_000), 2 ** 40),
      });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1e6, 1e12), noNaN: true });
    case 'string':
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.format === 'date-time')
        return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
      if (schema.format === 'ipv4') return fc.ipV4();
      return fc.string({ minLength: 1, maxLength: Math.min(schema.maxLength ?? 24, 24) });
    case 'array':
      return fc.array(schema.items ? valueOf(schema.items, depth + 1) : hostileValue, { maxLength: 4 });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const fields = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => {
          const field = withHostility(valueOf(property, depth + 1));
          return [name, required.has(name) ? field : fc.option(field, { nil: undefined, freq: 3 })];
        }),
      );
      return fc
        .record(fields)
        .map((record) =>
          Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)),
        );
    }
    default:
      return hostileValue;
  }
}

/** Mostly what the schema asks for; sometimes anything at all. */
function withHostility<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary, weight: 6 }, { arbitrary: hostileValue, weight: 1 });
}

const deepJson = fc.integer({ min: 33, max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
const largeJson = fc
  .integer({ min: 1_000, max: 60_000 })
  .map((count) =>
    JSON.stringify({ items: Array.from({ length: count }, (_, index) => ({ index, label: 'x'.repeat(3) })) }),
  );

export interface FuzzContext {
  /** Ids that exist, so that a share of requests reaches real services and routers. */
  serviceIds: number[];
  /** Routers a request may change or delete (never the simulated router the services live on). */
  mutableRouterIds: number[];
  /** Routers a request may only read or create services on. */
  readOnlyRouterIds: number[];
  clientTokens: Map<number, string>;
  adminToken: string;
  whmcsSecret: string;
}

export interface FuzzRequest {
  operation: FuzzOperation;
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** For the report: what kind of body this was. */
  bodyKind: string;
  credentials: 'valid' | 'missing' | 'wrong';
}

const oddIds = [
  '0',
  '-1',
  '1e3',
  '99999999999999999999',
  '%ff',
  '%00',
  'abc',
  '1;drop',
  '%E2%80%AE1',
  '1.5',
  ' 1',
];

function pathIdOf(operation: FuzzOperation, context: FuzzContext): fc.Arbitrary<string> {
  const isRouterPath = operation.path.includes('/routers/');
  const mutates = operation.method !== 'GET';
  const known = isRouterPath
    ? [...context.mutableRouterIds, ...(mutates ? [] : context.readOnlyRouterIds)]
    : context.serviceIds;
  return fc.oneof(
    { arbitrary: known.length ? fc.constantFrom(...known.map(String)) : fc.constant('1'), weight: 6 },
    { arbitrary: fc.constantFrom(...oddIds), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 2 ** 40 }).map(String), weight: 1 },
  );
}

const contentTypes = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ),
    weight: 1,
  },
);

export function requestArbitrary(operation: FuzzOperation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.tuple(...operation.pathParameters.map(() => pathIdOf(operation, context)));
  const query = fc.record(
    Object.fromEntries(
      operation.query.map(({ name, schema }) => [
        name,
        fc.option(
          withHostility(valueOf(schema, 0)).map((value) =>
            typeof value === 'string' ? value : JSON.stringify(value),
          ),
          {
            nil: undefined,
          },
        ),
      ]),
    ),
  );
  const bodyText: fc.Arbitrary<{ kind: string; bytes: Buffer | undefined }> = operation.body
    ? fc.oneof(
        {
          arbitrary: valueOf(operation.body, 0).map((value) => ({
            kind: 'schema',
            bytes: Buffer.from(JSON.stringify(value)),
          })),
          weight: 14,
        },
        {
          arbitrary: hostileValue.map((value) => ({
            kind: 'any-json',
            bytes: Buffer.from(JSON.stringify(value) ?? 'null'),
          })),
          weight: 2,
        },
        { arbitrary: deepJson.map((text) => ({ kind: 'deep', bytes: Buffer.from(text) })), weight: 1 },
        { arbitrary: largeJson.map((text) => ({ kind: 'large', bytes: Buffer.from(text) })), weight: 1 },
        {
          arbitrary: fc
            .uint8Array({ maxLength: 200 })
            .map((bytes) => ({ kind: 'bytes', bytes: Buffer.from(bytes) })),
          weight: 1,
        },
        {
          arbitrary: fc.constant({ kind: 'truncated', bytes: Buffer.from('{"serviceId": 1, "pro') }),
          weight: 1,
        },
      )
    : operation.method === 'GET'
      ? fc.constant({ kind: 'none', bytes: undefined })
      : fc.oneof(
          { arbitrary: fc.constant({ kind: 'none', bytes: undefined }), weight: 8 },
          {
            arbitrary: hostileValue.map((value) => ({
              kind: 'unexpected',
              bytes: Buffer.from(JSON.stringify(value) ?? 'null'),
            })),
            weight: 1,
          },
        );
  const encoding = fc.oneof(
    { arbitrary: fc.constant('identity'), weight: 20 },
    { arbitrary: fc.constantFrom('gzip', 'fake-gzip', 'br', 'compress'), weight: 1 },
  );
  const credentials = fc.oneof(
    { arbitrary: fc.constant('valid' as const), weight: 18 },
    { arbitrary: fc.constantFrom('missing' as const, 'wrong' as const), weight: 1 },
  );
  return fc
    .record({
      pathValues,
      query,
      body: bodyText,
      contentType: contentTypes,
      encoding,
      credentials,
      idempotent: fc.boolean(),
    })
    .map(
      ({
        pathValues: values,
        query: queryValues,
        body,
        contentType,
        encoding: contentEncoding,
        credentials: auth,
        idempotent,
      }) => {
        let path = operation.path;
        operation.pathParameters.forEach((name, index) => {
          path = path.replace(`{${name}}`, values[index]);
        });
        const search = new URLSearchParams(
          Object.entries(queryValues).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ).toString();
        const target = search ? `${path}?${search}` : path;
        let bytes = body.bytes;
        const headers: Record<string, string> = {};
        if (bytes !== undefined) {
          if (contentType) headers['content-type'] = contentType;
          if (contentEncoding === 'gzip') bytes = gzipSync(bytes);
          if (contentEncoding !== 'identity')
            headers['content-encoding'] = contentEncoding === 'fake-gzip' ? 'gzip' : contentEncoding;
        }
        if (idempotent && operation.method !== 'GET') headers['idempotency-key'] = `fuzz-${randomUUID()}`;
        return {
          operation,
          method: operation.method,
          target,
          headers,
          body: bytes,
          bodyKind: `${body.kind}/${contentEncoding}`,
          credentials: auth,
        };
      },
    );
}

/** The request's credentials, made when it is sent: WHMCS signatures carry the time and a fresh nonce. */
export function credentialsFor(request: FuzzRequest, context: FuzzContext): Record<string, string> {
  const { operation, credentials, target, body } = request;
  if (credentials === 'missing' || operation.audience === 'public') return {};
  if (operation.audience === 'admin') {
    return {
      authorization: `Bearer ${credentials === 'valid' ? context.adminToken : 'wrong-token-0123456789'}`,
    };
  }
  if (operation.audience === 'client') {
    const [token] = context.clientTokens.values();
    return { authorization: `Bearer ${credentials === 'valid' ? token : `${token}x`}` };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const nonce = randomUUID();
  const signature = signWhmcsRequest(
    credentials === 'valid' ? context.whmcsSecret : 'wrong-secret-0123456789',
    {
      timestamp,
      nonce,
      method: operation.method,
      path: target,
      body: body ?? Buffer.alloc(0),
    },
  );
  return {
    'x-vpnflow-timestamp': String(timestamp),
    'x-vpnflow-nonce': nonce,
    'x-vpnflow-signature': signature,
  };
}
