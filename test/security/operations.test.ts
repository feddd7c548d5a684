import { randomUUID } from 'node:crypto';
import type { RequestListener, Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { listen } from '../../api/http-server';
import { createIdempotencyStore } from '../../store/idempotency-store';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';

/** Operational defects that a probe of the running stack found, each with the behaviour it now has. */
describe('operational safety of the API', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      serverLimits: {
        headersTimeoutMs: 1_000,
        requestTimeoutMs: 5_000,
        keepAliveTimeoutMs: 1_000,
        maxConnections: 50,
      },
    });
  });
  afterAll(() => harness?.close());

  it('lets concurrent manual retention runs share one run instead of answering 500', async () => {
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => harness.admin('POST', '/v1/admin/maintenance/usage-retention')),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body.workflowId))).toEqual(
      new Set(['usage-retention-manual']),
    );
  });

  it('writes one audit row per mutating WHMCS or admin request, never its body, and shows them', async () => {
    const serviceId = uniqueId();
    const suspended = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/suspend`, {
      reason: 'admin',
    });
    expect(suspended.status).toBe(404);
    // Router ids are a shared sequence: another test file (the fuzzer) may have sent requests naming
    // this id before the router existed, and their rows are rightly audited too. Only what comes
    // from here on is this test's.
    const [{ lastId }] = await harness.stack.db('audit_log').max<{ lastId: string | null }[]>('id as lastId');
    const created = await harness.admin('POST', '/v1/admin/routers', {
      name: `audit-${serviceId}`,
      apiHost: '192.0.2.50',
      apiUser: 'vpnflow',
      apiPassword: 'audited-router-Passw0rd',
      publicHostname: 'vpn.example.net',
    });
    expect(created.status).toBe(201);
    await harness.admin('GET', '/v1/admin/routers');

    // The row is written once the answer has gone out.
    const forService = await eventually(async () => {
      const page = await harness.admin('GET', `/v1/admin/audit?serviceId=${serviceId}`);
      expect(page.body.entries).toHaveLength(1);
      return page;
    });
    expect(forService.body.entries).toEqual([
      expect.objectContaining({
        actor: 'whmcs',
        action: 'POST /v1/whmcs/services/:id/suspend',
        target: `service:${serviceId}`,
        result: 'rejected',
        status: 404,
        code: 'service_not_found',
      }),
    ]);
    const forRouter = await eventually(async () => {
      const page = await harness.admin('GET', `/v1/admin/audit?routerId=${created.body.id}`);
      const entries = (page.body.entries as { id: number }[]).filter(
        (entry) => entry.id > Number(lastId ?? 0),
      );
      expect(entries).toHaveLength(1);
      return entries;
    });
    expect(forRouter).toEqual([
      expect.objectContaining({
        actor: 'admin',
        action: 'POST /v1/admin/routers',
        result: 'ok',
        status: 201,
      }),
    ]);
    const rows = await harness.stack.db('audit_log').select('request', 'detail');
    expect(JSON.stringify(rows)).not.toContain('audited-router-Passw0rd');

    // A path id the routes refuse (here a NUL) is audited without a target rather than not at all.
    // Other test files share the database, so only rows written after this point are looked at.
    const [{ newest }] = await harness.stack.db('audit_log').max<{ newest: bigint | null }[]>('id as newest');
    expect((await harness.whmcs('POST', '/v1/whmcs/services/%00/suspend', {})).status).toBe(400);
    await eventually(async () => {
      const rows = await harness.stack
        .db('audit_log')
        .where('id', '>', String(newest ?? 0))
        .where({ action: 'POST /v1/whmcs/services/:id/suspend', result: 'rejected' })
        .whereNull('target')
        .select('id');
      expect(rows.length).toBeGreaterThanOrEqual(1);
    });
  });

  it('takes over an Idempotency-Key whose first request died, and purges keys older than a day', async () => {
    const key = `crashed-${randomUUID()}`;
    const body = { name: '' };
    const hashOf = async () => {
      const first = await harness.admin('POST', '/v1/admin/routers', body, { 'idempotency-key': key });
      expect(first.status).toBe(400);
      return (await harness.stack.db('api_idempotency').where({ key }).first()).request_hash as string;
    };
    const requestHash = await hashOf();
    // As a crash between claim and answer leaves it: claimed, unanswered, two minutes old.
    await harness.stack
      .db('api_idempotency')
      .where({ key })
      .update({
        response_status: null,
        response_body: null,
        created_at: harness.stack.db.raw(`now() - interval '2 minutes'`),
      });
    const retried = await harness.admin('POST', '/v1/admin/routers', body, { 'idempotency-key': key });
    expect(retried.status).toBe(400);
    expect(retried.headers.get('idempotent-replay')).toBeNull();

    const oldKey = `old-${randomUUID()}`;
    await harness.stack.db('api_idempotency').insert({
      scope: 'admin',
      key: oldKey,
      request_hash: requestHash,
      response_status: 200,
      response_body: '{}',
      created_at: harness.stack.db.raw(`now() - interval '25 hours'`),
    });
    await createIdempotencyStore(harness.stack.db).claim('admin', `fresh-${randomUUID()}`, requestHash);
    expect(await harness.stack.db('api_idempotency').where({ key: oldKey }).first()).toBeUndefined();
  });

  it('closes a connection that sends its headers too slowly', async () => {
    const { port } = new URL(harness.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const dribble = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.once('close', () => resolve(text));
    });
    clearInterval(dribble);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('{"error":{"code":"request_timeout"');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  describe('a server of its own with tight limits', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      // Answers once the whole body is in, as the API's JSON parser does.
      const app: RequestListener = (request, response) => {
        request.resume();
        request.on('end', () => response.end('{}'));
      };
      server = await listen(app, 0, '127.0.0.1', {
        headersTimeoutMs: 1_000,
        requestTimeoutMs: 1_500,
        keepAliveTimeoutMs: 1_000,
        maxConnections: 2,
      });
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const opened = async () => {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    };
    const closed = (socket: Socket) =>
      new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.once('close', () => resolve(text));
      });

    it('closes a request whose body arrives too slowly with a 408', async () => {
      const socket = await opened();
      const started = Date.now();
      socket.write('POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
      const dribble = setInterval(() => socket.write('a'), 200);
      const answer = await closed(socket);
      clearInterval(dribble);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('refuses connections beyond its cap, and takes new ones once others close', async () => {
      const held = [await opened(), await opened()];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await opened();
      await expect(closed(refused)).resolves.toBe('');
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(`http://127.0.0.1:${port}/x`);
      expect(response.status).toBe(200);
    });
  });

  it('answers a request line too long to parse in the one error shape', async () => {
    const response = await fetch(`${harness.baseUrl}/v1/admin/services?username=${'x'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({
      error: { code: 'headers_too_large', message: 'The request line and headers exceed 16 kB' },
    });
  });
});
