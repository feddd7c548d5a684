import { once } from 'node:events';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createApp } from '../../api/app';
import { issueClientToken, verifyClientToken } from '../../api/client-tokens';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import { createLedgerStore } from '../../store/ledger-store';
import { insertRouter, insertService } from '../helpers/fixtures';
import { TEST_ADMIN_TOKEN, TEST_WHMCS_SECRET, testApiDeps } from '../helpers/harness';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

describe('client tokens', () => {
  const claims = { serviceId: 42, clientId: 7, expiresAt: 2_000_000_000 };

  it('round-trips the claims of a genuine token until it expires', () => {
    const token = issueClientToken(TEST_WHMCS_SECRET, claims);
    expect(verifyClientToken(TEST_WHMCS_SECRET, token, 1_999_999_999)).toEqual(claims);
    expect(verifyClientToken(TEST_WHMCS_SECRET, token, 2_000_000_000)).toBeUndefined();
  });

  it('refuses a token signed with another secret, altered, or malformed', () => {
    const token = issueClientToken(TEST_WHMCS_SECRET, claims);
    const [payload, signature] = token.split('.');
    const otherService = Buffer.from(JSON.stringify({ sid: 43, cid: 7, exp: 2_000_000_000 })).toString(
      'base64url',
    );
    expect(verifyClientToken('another-secret-0123456789', token, 0)).toBeUndefined();
    expect(verifyClientToken(TEST_WHMCS_SECRET, `${otherService}.${signature}`, 0)).toBeUndefined();
    expect(verifyClientToken(TEST_WHMCS_SECRET, `${payload}.${signature.slice(1)}A`, 0)).toBeUndefined();
    expect(verifyClientToken(TEST_WHMCS_SECRET, 'not-a-token', 0)).toBeUndefined();
    expect(verifyClientToken(TEST_WHMCS_SECRET, '', 0)).toBeUndefined();
  });
});

describe('the client panel API', () => {
  let stack: ConnectedTestStack;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await connectTestStack();
    server = createApp(testApiDeps(stack, 'unused-task-queue')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server?.close();
    await stack?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, path: string, headers: Record<string, string> = {}): Promise<any> => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers });
    return { status: response.status, body: await response.json() };
  };
  const tokenFor = async (serviceId: number, headers: Record<string, string> = {}) => {
    const path = `/v1/whmcs/services/${serviceId}/client-token`;
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomUUID();
    return call('POST', path, {
      'x-vpnflow-timestamp': String(timestamp),
      'x-vpnflow-nonce': nonce,
      'x-vpnflow-signature': signWhmcsRequest(TEST_WHMCS_SECRET, {
        timestamp,
        nonce,
        method: 'POST',
        path,
        body: '',
      }),
      ...headers,
    });
  };
  const asClient = (token: string) => ({ authorization: `Bearer ${token}` });

  it('shows a client their own service’s usage and credits, and nothing else', async () => {
    const routerId = await insertRouter(stack.db);
    const serviceId = await insertService(stack.db, routerId, { whmcs_client_id: 31 });
    const otherService = await insertService(stack.db, routerId, { whmcs_client_id: 32 });
    const today = new Date().toISOString().slice(0, 10);
    await stack.db('daily_usage').insert({
      service_id: serviceId,
      day: today,
      download_bytes: 7_000n,
      upload_bytes: 500n,
    });
    await createLedgerStore(stack.db).append({
      serviceId,
      kind: 'addon',
      deltaBytes: 5_000_000_000n,
      idempotencyKey: `addon:${serviceId}:INV-9`,
      description: 'Extra 5 GB',
      invoiceRef: 'INV-9',
    });

    const issued = await tokenFor(serviceId);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ serviceId, token: expect.any(String) });
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    const client = asClient(issued.body.token);

    const daily = await call('GET', `/v1/client/services/${serviceId}/usage/daily?days=7`, client);
    expect(daily.status).toBe(200);
    expect(daily.body.days).toEqual([
      {
        day: today,
        downloadBytes: '7000',
        uploadBytes: '500',
        totalBytes: '7500',
        balanceBytes: '5000000000',
      },
    ]);
    const monthly = await call('GET', `/v1/client/services/${serviceId}/usage/monthly`, client);
    expect(monthly.body.months).toEqual([
      { month: today.slice(0, 7), downloadBytes: '7000', uploadBytes: '500', totalBytes: '7500' },
    ]);
    const history = await call('GET', `/v1/client/services/${serviceId}/traffic-history`, client);
    expect(history.body.entries).toEqual([
      expect.objectContaining({
        kind: 'addon',
        addedBytes: '5000000000',
        balanceBeforeBytes: '0',
        balanceAfterBytes: '5000000000',
        description: 'Extra 5 GB',
        invoice: 'INV-9',
      }),
    ]);
    expect((await call('GET', `/v1/client/services/${serviceId}/live`, client)).body).toMatchObject({
      online: false,
    });

    const elsewhere = await call('GET', `/v1/client/services/${otherService}/usage/daily`, client);
    expect(elsewhere).toEqual({
      status: 403,
      body: expect.objectContaining({ error: expect.objectContaining({ code: 'forbidden' }) }),
    });
    expect((await call('GET', '/v1/client/metering', client)).status).toBe(404);
    // Whether another service exists or not, the answer is the same.
    expect((await call('GET', '/v1/client/services/999999999999/live', client)).status).toBe(403);
    const retried = await tokenFor(serviceId, { 'idempotency-key': `token-${serviceId}` });
    expect(retried.status).toBe(201);
    expect(await stack.db('api_idempotency').where({ key: `token-${serviceId}` })).toEqual([]);

    // A service moved to another client in WHMCS no longer answers to the old client's token.
    await stack.db('services').where({ id: serviceId }).update({ whmcs_client_id: 33 });
    expect((await call('GET', `/v1/client/services/${serviceId}/usage/daily`, client)).status).toBe(403);
  });

  it('stops answering a client token once its service is terminated, and issues none for it', async () => {
    const routerId = await insertRouter(stack.db);
    const serviceId = await insertService(stack.db, routerId, { whmcs_client_id: 41 });
    const client = asClient((await tokenFor(serviceId)).body.token);
    expect((await call('GET', `/v1/client/services/${serviceId}/live`, client)).status).toBe(200);
    await stack
      .db('services')
      .where({ id: serviceId })
      .update({ status: 'terminated', terminated_at: stack.db.fn.now() });
    const refused = await call('GET', `/v1/client/services/${serviceId}/live`, client);
    expect(refused).toEqual({
      status: 403,
      body: { error: { code: 'service_terminated', message: 'The service is terminated' } },
    });
    const issued = await tokenFor(serviceId);
    expect(issued.status).toBe(409);
    expect(issued.body.error.code).toBe('service_terminated');
  });

  it('answers 401 without a genuine client token, and 404 for a token of an unknown service', async () => {
    const path = '/v1/client/services/1/usage/daily';
    expect((await call('GET', path)).status).toBe(401);
    expect((await call('GET', path, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).status).toBe(401);
    const expired = issueClientToken(TEST_WHMCS_SECRET, { serviceId: 1, clientId: 1, expiresAt: 1_000 });
    const refused = await call('GET', path, asClient(expired));
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('A valid, unexpired client token is required');
    expect((await tokenFor(999_999_999_999)).status).toBe(404);
  });
});
