import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PayloadEncryptionCodec } from '../../infra/payload-codec';
import { startCodecServer, type RunningCodecServer } from './codec-server';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const UI_ORIGIN = 'http://127.0.0.1:8233';
const SECRET = 'radius-secret-Hq27#';

const base64 = (value: string) => Buffer.from(value).toString('base64');
const asJson = (payload: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value).toString('base64'),
    ]),
  ),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});
const jsonPayload = {
  metadata: { encoding: base64('json/plain') },
  data: base64(JSON.stringify({ password: SECRET })),
};

describe('codec routes over HTTP', () => {
  const codec = new PayloadEncryptionCodec([randomBytes(32).toString('base64')]);
  let development: RunningCodecServer;
  let production: RunningCodecServer;

  beforeAll(async () => {
    const options = { codec, adminToken: ADMIN_TOKEN, temporalUiUrl: `${UI_ORIGIN}/namespaces` };
    [development, production] = await Promise.all([
      startCodecServer({ ...options, nodeEnv: 'development' }),
      startCodecServer({ ...options, nodeEnv: 'production' }),
    ]);
  });
  afterAll(() => Promise.all([development.close(), production.close()]));

  const post = (server: RunningCodecServer, path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${server.baseUrl}/v1/codec/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const asOperator = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it('encodes and decodes in the remote codec format for the admin token', async () => {
    const encodedResponse = await post(production, 'encode', { payloads: [jsonPayload, {}] }, asOperator);
    expect(encodedResponse.status).toBe(200);
    const encoded = (await encodedResponse.json()) as { payloads: { metadata: Record<string, string> }[] };
    expect(encoded.payloads).toHaveLength(2);
    expect(encoded.payloads[0].metadata).toEqual({
      encoding: base64('binary/encrypted'),
      'encryption-key-id': base64(codec.encryptionKeyId),
    });
    expect(JSON.stringify(encoded)).not.toContain(jsonPayload.data);

    const decodedResponse = await post(production, 'decode', encoded, asOperator);
    expect(decodedResponse.status).toBe(200);
    expect(await decodedResponse.json()).toEqual({ payloads: [jsonPayload, { metadata: {}, data: '' }] });
  });

  it('decodes payloads encrypted by the worker-side codec and passes plain ones through', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ password: SECRET })]);
    const body = { payloads: [asJson(encrypted), jsonPayload] };
    const response = await post(development, 'decode', body, asOperator);
    expect(response.status).toBe(200);
    const decoded = (await response.json()) as { payloads: { data: string }[] };
    expect(
      decoded.payloads.map((payload) => JSON.parse(Buffer.from(payload.data, 'base64').toString())),
    ).toEqual([{ password: SECRET }, { password: SECRET }]);
  });

  it('answers the UI preflight for its origin only, with credentials', async () => {
    const response = await fetch(`${production.baseUrl}/v1/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type, x-namespace, authorization',
    );

    const refused = await post(production, 'decode', { payloads: [] }, { origin: 'http://evil.example' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('refuses callers without the admin token, in the one error shape', async () => {
    const unauthorized = {
      error: { code: 'unauthorized', message: 'A valid admin bearer token is required' },
    };
    const wrongCredentials: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: ADMIN_TOKEN },
    ];
    for (const headers of wrongCredentials) {
      const response = await post(production, 'decode', { payloads: [jsonPayload] }, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(unauthorized);
    }
    const fromUiInProduction = await post(production, 'decode', { payloads: [] }, { origin: UI_ORIGIN });
    expect(fromUiInProduction.status).toBe(401);
    const fromUiWithWrongToken = await post(
      development,
      'decode',
      { payloads: [] },
      { origin: UI_ORIGIN, authorization: 'Bearer wrong-token-0123456789' },
    );
    expect(fromUiWithWrongToken.status).toBe(401);
  });

  it('lets the local dev UI decode without a token outside production', async () => {
    const response = await post(development, 'decode', { payloads: [jsonPayload] }, { origin: UI_ORIGIN });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ payloads: [jsonPayload] });
    const otherOrigin = await post(
      development,
      'decode',
      { payloads: [] },
      { origin: 'http://localhost:9999' },
    );
    expect(otherOrigin.status).toBe(401);
  });

  it('answers 400 naming the problem for bad bodies', async () => {
    const cases: [unknown, string][] = [
      ['{not json', 'The request body is not valid JSON or is too large'],
      [{}, 'Expected a JSON body { payloads: [{ metadata, data }] }; payloads: '],
      [{ payloads: 'x' }, 'payloads: '],
      [{ payloads: [{ data: 'not base64!' }] }, 'payloads.0.data: must be base64'],
      [{ payloads: [{ metadata: { encoding: 7 } }] }, 'payloads.0.metadata.encoding: '],
      [[], 'body: '],
    ];
    for (const [body, message] of cases) {
      const response = await post(production, 'encode', body, asOperator);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_body');
      expect(answer.error.message).toContain(message);
    }
    const notJson = await fetch(`${production.baseUrl}/v1/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...asOperator },
      body: 'payloads',
    });
    expect(notJson.status).toBe(400);
  });

  it('answers 400 for a payload it cannot decrypt, naming which one', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
    const altered = Buffer.from(encrypted.data!);
    altered[20] ^= 0xff;
    const payload = asJson({ ...encrypted, data: altered });
    const response = await post(production, 'decode', { payloads: [jsonPayload, payload] }, asOperator);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'undecryptable_payload',
        message: `payloads.1: Encrypted payload failed authentication with key ${codec.encryptionKeyId}`,
      },
    });
  });
});
