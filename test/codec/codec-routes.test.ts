import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PayloadEncryptionCodec } from '../../infra/payload-codec';
import { startCodecServer, type RunningCodecServer } from './codec-server';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const CODEC_TOKEN = 'test-codec-token-0123456789';
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
  let server: RunningCodecServer;

  beforeAll(async () => {
    server = await startCodecServer({
      codec,
      adminToken: ADMIN_TOKEN,
      codecToken: CODEC_TOKEN,
      temporalUiUrl: `${UI_ORIGIN}/namespaces`,
    });
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${server.baseUrl}/v1/codec/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const asOperator = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it('encodes and decodes in the remote codec format for the admin token', async () => {
    const encodedResponse = await post('encode', { payloads: [jsonPayload, {}] }, asOperator);
    expect(encodedResponse.status).toBe(200);
    const encoded = (await encodedResponse.json()) as { payloads: { metadata: Record<string, string> }[] };
    expect(encoded.payloads).toHaveLength(2);
    expect(encoded.payloads[0].metadata).toEqual({
      encoding: base64('binary/encrypted'),
      'encryption-key-id': base64(codec.encryptionKeyId),
    });
    expect(JSON.stringify(encoded)).not.toContain(jsonPayload.data);

    const decodedResponse = await post('decode', encoded, asOperator);
    expect(decodedResponse.status).toBe(200);
    expect(await decodedResponse.json()).toEqual({ payloads: [jsonPayload, { metadata: {}, data: '' }] });
  });

  it('decodes payloads encrypted by the worker-side codec and shows plain ones as refused', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ password: SECRET })]);
    const body = { payloads: [asJson(encrypted), jsonPayload] };
    const response = await post('decode', body, asOperator);
    expect(response.status).toBe(200);
    const decoded = (await response.json()) as { payloads: { data: string }[] };
    expect(
      decoded.payloads.map((payload) => JSON.parse(Buffer.from(payload.data, 'base64').toString())),
    ).toEqual([{ password: SECRET }, { vpnflowRefusedPayload: { encoding: 'json/plain' } }]);
  });

  it('lets the Temporal UI in with the codec token in the path, and nobody without it', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
    const viaPath = await post(
      `${CODEC_TOKEN}/decode`,
      { payloads: [asJson(encrypted)] },
      { origin: UI_ORIGIN },
    );
    expect(viaPath.status).toBe(200);
    const [decoded] = ((await viaPath.json()) as { payloads: { data: string }[] }).payloads;
    expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toBe(SECRET);

    const wrongPath = await post('wrong-token-0123456789/decode', { payloads: [] }, { origin: UI_ORIGIN });
    expect(wrongPath.status).toBe(401);
    // The UI's Origin alone once admitted anyone outside production; Origin is trivially forged.
    const originOnly = await post('decode', { payloads: [asJson(encrypted)] }, { origin: UI_ORIGIN });
    expect(originOnly.status).toBe(401);
    const codecBearer = await post('decode', { payloads: [] }, { authorization: `Bearer ${CODEC_TOKEN}` });
    expect(codecBearer.status).toBe(200);
  });

  it('answers the UI preflight for its origin only, with credentials', async () => {
    const response = await fetch(`${server.baseUrl}/v1/codec/decode`, {
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

    const refused = await post('decode', { payloads: [] }, { origin: 'http://evil.example' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('refuses callers without the admin token, in the one error shape', async () => {
    const unauthorized = {
      error: { code: 'unauthorized', message: 'The codec token or an admin bearer token is required' },
    };
    const wrongCredentials: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: ADMIN_TOKEN },
    ];
    for (const headers of wrongCredentials) {
      const response = await post('decode', { payloads: [jsonPayload] }, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(unauthorized);
    }
    const fromUiWithWrongToken = await post(
      'decode',
      { payloads: [] },
      { origin: UI_ORIGIN, authorization: 'Bearer wrong-token-0123456789' },
    );
    expect(fromUiWithWrongToken.status).toBe(401);
  });

  it('answers 400 naming the problem for bad bodies', async () => {
    const cases: [unknown, string][] = [
      ['{not json', 'The request body is not valid JSON'],
      [{}, 'Expected a JSON body { payloads: [{ metadata, data }] }; payloads: '],
      [{ payloads: 'x' }, 'payloads: '],
      [{ payloads: [{ data: 'not base64!' }] }, 'payloads.0.data: must be base64'],
      [{ payloads: [{ metadata: { encoding: 7 } }] }, 'payloads.0.metadata.encoding: '],
      [[], 'body: '],
    ];
    for (const [body, message] of cases) {
      const response = await post('encode', body, asOperator);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_body');
      expect(answer.error.message).toContain(message);
    }
    const notJson = await fetch(`${server.baseUrl}/v1/codec/decode`, {
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
    const response = await post('decode', { payloads: [jsonPayload, payload] }, asOperator);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'undecryptable_payload',
        message: `payloads.1: Encrypted payload failed authentication with key ${codec.encryptionKeyId}`,
      },
    });
  });
});
