import { once } from 'node:events';
import type { Server } from 'node:http';
import express from 'express';
import { errorHandler, notFoundHandler } from '../../api/errors';
import { createOpenApiRegistry } from '../../api/openapi';
import { meteringStatusRoutes, statisticsRoutes } from '../../api/routes/statistics';
import { createLogger } from '../../infra/logger';
import { LiveSessions } from '../../api/live-sessions';
import { createRouterDirectory } from '../../infra/router-directory';
import { RouterConnections } from '../../routeros';
import { createLedgerStore } from '../../store/ledger-store';
import { createRoutersStore } from '../../store/routers-store';
import { createStatisticsStore } from '../../store/statistics-store';
import { createMeteringStore } from '../../store/metering-store';
import { insertRouter, insertService, testSecretBox, uniqueId } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

describe('the statistics API', () => {
  let stack: ConnectedTestStack;
  let server: Server;
  let baseUrl: string;
  const routerConnections = new RouterConnections();

  beforeAll(async () => {
    stack = await connectTestStack();
    const app = express();
    const statistics = createStatisticsStore(stack.db);
    const routers = createRouterDirectory(createRoutersStore(stack.db, testSecretBox), routerConnections);
    const deps = {
      statistics,
      ledger: createLedgerStore(stack.db),
      liveSessions: new LiveSessions(routers, statistics),
      openApi: createOpenApiRegistry(),
      today: () => '2026-11-25',
    };
    const admin = { path: '/v1/admin', security: [] };
    app.use(admin.path, statisticsRoutes(deps, admin), meteringStatusRoutes(deps, admin));
    app.use(notFoundHandler);
    app.use(errorHandler(createLogger({ level: 'silent', name: 'statistics-test' })));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server?.close();
    await routerConnections.close();
    await stack?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: await response.json() };
  };

  it('answers daily and monthly usage, the credits, the live session and each router’s last pass', async () => {
    const routerId = Number(await insertRouter(stack.db));
    const serviceId = await insertService(stack.db, BigInt(routerId));
    const days = [
      ['2026-11-25', 10n, 1n],
      ['2026-11-24', 20n, 2n],
      ['2026-11-01', 30n, 3n],
      ['2026-10-31', 40n, 4n],
      ['2026-09-15', 50n, 5n],
    ] as const;
    await stack.db('daily_usage').insert(
      days.map(([day, download, upload]) => ({
        service_id: serviceId,
        day,
        download_bytes: download,
        upload_bytes: upload,
      })),
    );
    const ledger = createLedgerStore(stack.db);
    await ledger.append({
      serviceId,
      kind: 'cycle_grant',
      deltaBytes: 50_000_000_000n,
      idempotencyKey: `grant:${serviceId}:api`,
      description: 'Traffic for the cycle',
      invoiceRef: null,
    });
    await createMeteringStore(stack.db).recordRouterReading(routerId, {
      uptimeSeconds: 100,
      readAt: new Date('2026-11-25T08:00:00Z'),
      counters: [{ name: `vpn${serviceId}`, uploadBytes: 0n, downloadBytes: 12_345_678_901n }],
      sessions: [
        {
          name: `vpn${serviceId}`,
          service: 'sstp',
          callerId: '203.0.113.7',
          address: '10.9.0.2',
          uptimeSeconds: 3_600,
        },
      ],
    });
    await ledger.append({
      serviceId,
      kind: 'addon',
      deltaBytes: 10_000_000_000n,
      idempotencyKey: `addon:${serviceId}:INV-77`,
      description: 'Traffic addon',
      invoiceRef: 'INV-77',
    });

    const daily = await get(`/v1/admin/services/${serviceId}/usage/daily?days=25`);
    expect(daily.status).toBe(200);
    expect(daily.body.from).toBe('2026-11-01');
    expect(daily.body.days).toEqual([
      {
        day: '2026-11-25',
        downloadBytes: String(12_345_678_901n + 10n),
        uploadBytes: '1',
        totalBytes: '12345678912',
        // The grant and the addon are dated when they were written (today, not the test's calendar).
        balanceBytes: String(50_000_000_000n - 12_345_678_901n),
      },
      { day: '2026-11-24', downloadBytes: '20', uploadBytes: '2', totalBytes: '22', balanceBytes: '0' },
      { day: '2026-11-01', downloadBytes: '30', uploadBytes: '3', totalBytes: '33', balanceBytes: '0' },
    ]);

    const monthly = await get(`/v1/admin/services/${serviceId}/usage/monthly?months=2`);
    expect(monthly.body.months).toEqual([
      { month: '2026-11', downloadBytes: '12345678961', uploadBytes: '6', totalBytes: '12345678967' },
      { month: '2026-10', downloadBytes: '40', uploadBytes: '4', totalBytes: '44' },
    ]);

    const history = await get(`/v1/admin/services/${serviceId}/traffic-history`);
    expect(history.body.entries).toEqual([
      {
        date: expect.any(String),
        kind: 'addon',
        addedBytes: '10000000000',
        balanceBeforeBytes: String(50_000_000_000n - 12_345_678_901n),
        balanceAfterBytes: String(60_000_000_000n - 12_345_678_901n),
        description: 'Traffic addon',
        invoice: 'INV-77',
      },
      {
        date: expect.any(String),
        kind: 'cycle_grant',
        addedBytes: '50000000000',
        balanceBeforeBytes: '0',
        balanceAfterBytes: '50000000000',
        description: 'Traffic for the cycle',
        invoice: null,
      },
    ]);

    // The fixture's router does not answer, so the last metering pass does, with its time.
    const live = await get(`/v1/admin/services/${serviceId}/live`);
    expect(live.body).toEqual({
      serviceId,
      status: 'active',
      suspensionReasons: [],
      limitedByTraffic: false,
      balanceBytes: String(60_000_000_000n - 12_345_678_901n),
      online: true,
      sessions: [{ protocol: 'sstp', callerId: '203.0.113.7', address: '10.9.0.2', uptimeSeconds: 3_600 }],
      source: 'metering',
      asOf: '2026-11-25T08:00:00.000Z',
    });

    const failingRouter = Number(await insertRouter(stack.db));
    await createMeteringStore(stack.db).recordRouterFailure(failingRouter, 'connection refused', new Date());
    const neverRouter = Number(await insertRouter(stack.db));
    const metering = await get('/v1/admin/metering');
    const statusOf = (id: number) =>
      (metering.body.routers as { routerId: number }[]).find((router) => router.routerId === id);
    expect(statusOf(routerId)).toMatchObject({ status: 'ok', error: null, servicesMetered: 1 });
    expect(statusOf(routerId)).toMatchObject({ bytesMetered: '12345678901' });
    expect(statusOf(failingRouter)).toMatchObject({
      status: 'failing',
      error: 'connection refused',
      consecutiveFailures: 1,
      lastSuccessAt: null,
    });
    expect(statusOf(neverRouter)).toMatchObject({ status: 'never', lastAttemptAt: null });
  });

  it('answers 404 for an unknown service and 400 for a bad range', async () => {
    const missing = await get(`/v1/admin/services/${uniqueId()}/usage/daily`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('service_not_found');
    const bad = await get(`/v1/admin/services/1/usage/daily?days=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'days' })]);
  });
});
