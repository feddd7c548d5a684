import { randomUUID } from 'node:crypto';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, TEST_WHMCS_SECRET, type Harness } from '../helpers/harness';

/** Signed WHMCS requests and Idempotency-Key, over HTTP against the real stack. */
describe('WHMCS request signing and idempotency', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness?.close());

  const path = () => `/v1/whmcs/services/${uniqueId()}`;
  const signed = (options: {
    path: string;
    timestamp?: number;
    nonce?: string;
    secret?: string;
    body?: string;
  }) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const nonce = options.nonce ?? randomUUID();
    const body = options.body ?? '';
    const signature = signWhmcsRequest(options.secret ?? TEST_WHMCS_SECRET, {
      timestamp,
      nonce,
      method: body ? 'POST' : 'GET',
      path: options.path,
      body,
    });
    return fetch(`${harness.baseUrl}${options.path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        'content-type': 'application/json',
        'x-vpnflow-timestamp': String(timestamp),
        'x-vpnflow-nonce': nonce,
        'x-vpnflow-signature': signature,
      },
      body: body || undefined,
    });
  };
  const codeOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;

  it('accepts a correctly signed request (an unknown service is then a 404)', async () => {
    const response = await signed({ path: path() });
    expect(response.status).toBe(404);
    expect(await codeOf(response)).toBe('service_not_found');
  });

  it('refuses unsigned, wrongly signed, stale and replayed requests', async () => {
    const unsigned = await fetch(`${harness.baseUrl}${path()}`);
    expect(unsigned.status).toBe(401);
    expect(await codeOf(unsigned)).toBe('unsigned');

    const wrongSecret = await signed({ path: path(), secret: 'another-secret-0123456789' });
    expect(wrongSecret.status).toBe(401);
    expect(await codeOf(wrongSecret)).toBe('bad_signature');

    const stale = await signed({ path: path(), timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(401);
    expect(await codeOf(stale)).toBe('stale_request');

    const target = path();
    const nonce = randomUUID();
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await signed({ path: target, nonce, timestamp })).status).toBe(404);
    const replayed = await signed({ path: target, nonce, timestamp });
    expect(replayed.status).toBe(401);
    expect(await codeOf(replayed)).toBe('replayed_request');
    // A nonce is used once, whatever else changes: replays are refused by nonce, not by signature.
    const sameNonceLater = await signed({ path: target, nonce, timestamp: timestamp + 1 });
    expect(sameNonceLater.status).toBe(401);
    expect(await codeOf(sameNonceLater)).toBe('replayed_request');
  });

  it('signs the path with its query string and the body byte for byte', async () => {
    const target = `${path()}?probe=1`;
    expect((await signed({ path: target })).status).toBe(404);
    const signedWithoutQuery = await fetch(`${harness.baseUrl}${target}`, {
      headers: (() => {
        const timestamp = Math.floor(Date.now() / 1000);
        const nonce = randomUUID();
        const signature = signWhmcsRequest(TEST_WHMCS_SECRET, {
          timestamp,
          nonce,
          method: 'GET',
          path: target.split('?')[0],
          body: '',
        });
        return {
          'x-vpnflow-timestamp': String(timestamp),
          'x-vpnflow-nonce': nonce,
          'x-vpnflow-signature': signature,
        };
      })(),
    });
    expect(await codeOf(signedWithoutQuery)).toBe('bad_signature');
    const nonAscii = await signed({
      path: `/v1/whmcs/services/${uniqueId()}/traffic`,
      body: '{"invoiceId":1,"gb":1,"description":"Ruch sieciowy – 1 GB, zażółć"}',
    });
    expect(await codeOf(nonAscii)).toBe('service_not_found');
  });

  it('returns the first answer to a retry with the same Idempotency-Key, and refuses the key for another request', async () => {
    const key = `idem-${randomUUID()}`;
    const body = {
      serviceId: uniqueId(),
      clientId: 1,
      clientEmail: 'x@example.net',
      routerId: 999_999_999,
      product: { trafficGb: { monthly: 10 } },
    };
    const first = await harness.whmcs(
      'POST',
      '/v1/whmcs/services',
      { ...body, password: 'p', billingCycle: 'Monthly' },
      {
        'idempotency-key': key,
      },
    );
    expect(first.status).toBe(422);
    const retry = await harness.whmcs(
      'POST',
      '/v1/whmcs/services',
      { ...body, password: 'p', billingCycle: 'Monthly' },
      {
        'idempotency-key': key,
      },
    );
    expect(retry.status).toBe(422);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replay')).toBe('true');

    const other = await harness.whmcs(
      'POST',
      '/v1/whmcs/services',
      { ...body, password: 'q', billingCycle: 'Monthly' },
      {
        'idempotency-key': key,
      },
    );
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });
});
