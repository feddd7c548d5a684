import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import { startHarness, TEST_ADMIN_TOKEN, TEST_WHMCS_SECRET, type Harness } from '../helpers/harness';

/**
 * Requests a careless or hostile client sends that once answered 500: each is a 4xx in the one error
 * shape, and the API stays healthy.
 */
type Init = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

describe('malformed requests', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness?.close());

  const send = async (path: string, init: Init = {}) => {
    const response = await fetch(`${harness.baseUrl}${path}`, init);
    const text = await response.text();
    return {
      status: response.status,
      body: JSON.parse(text) as { error: { code: string; message: string } },
    };
  };
  const admin = (path: string, init: Init = {}) =>
    send(path, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...init.headers } });
  const signedWhmcs = (method: string, path: string, body: Buffer, headers: Record<string, string>) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomUUID();
    return send(path, {
      method,
      body,
      headers: {
        'x-vpnflow-timestamp': String(timestamp),
        'x-vpnflow-nonce': nonce,
        'x-vpnflow-signature': signWhmcsRequest(TEST_WHMCS_SECRET, { timestamp, nonce, method, path, body }),
        ...headers,
      },
    });
  };

  it('answers a path id that is not UTF-8 with 400', async () => {
    const answer = await admin('/v1/admin/services/%ff/live');
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('bad_request');
  });

  it('refuses a body in another charset with 415', async () => {
    const answer = await admin('/v1/admin/routers', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: '{"name":"x"}',
    });
    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe('unsupported_media_type');
  });

  it('refuses an unknown Content-Encoding with 415 and a body that claims gzip and is not with 400', async () => {
    const unknown = await admin('/v1/admin/routers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
      body: '{"name":"x"}',
    });
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe('unsupported_content_encoding');
    const fakeGzip = await admin('/v1/admin/routers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{"name":"x"}',
    });
    expect(fakeGzip.status).toBe(400);
    const realGzip = await admin('/v1/admin/routers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync('{"name":""}'),
    });
    expect(realGzip.status).toBe(400);
    expect(realGzip.body.error.code).toBe('invalid_request');
  });

  it('refuses NUL and lone surrogates in any string, naming the field', async () => {
    const nul = await admin('/v1/admin/services?username=a%00b');
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toContain('username');
    const surrogate = await signedWhmcs(
      'POST',
      '/v1/whmcs/services/1/traffic',
      Buffer.from('{"invoiceId":"\\ud800","gb":1}'),
      { 'content-type': 'application/json' },
    );
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.error.message).toContain('invoiceId');
  });

  it('refuses JSON nested absurdly deep', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const answer = await admin('/v1/admin/routers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_body');
  });

  it('checks WHMCS signatures over the exact bytes, and only then the body', async () => {
    const latin1 = Buffer.from('{"invoiceId":"caf\xe9","gb":1}', 'latin1');
    const notUtf8 = await signedWhmcs('POST', '/v1/whmcs/services/1/traffic', latin1, {
      'content-type': 'application/json',
    });
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.error.code).toBe('invalid_body');

    const notJson = await signedWhmcs('POST', '/v1/whmcs/services/1/traffic', Buffer.from('gb=1'), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(notJson.status).toBe(415);

    const compressed = await signedWhmcs('POST', '/v1/whmcs/services/1/traffic', gzipSync('{}'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(compressed.status).toBe(415);

    const unsignedGarbage = await send('/v1/whmcs/services/1/traffic', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(unsignedGarbage.status).toBe(401);
    expect(unsignedGarbage.body.error.code).toBe('unsigned');
  });

  it('stays healthy', async () => {
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
  });
});
